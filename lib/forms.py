from django.forms.renderers import TemplatesSetting


class ArchiveFormRenderer(TemplatesSetting):
    """Renders each field wrapped in a <div class="field"> (see templates/forms/field.html)."""

    field_template_name = "forms/field.html"
