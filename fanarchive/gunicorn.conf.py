"""gunicorn's limits, kept consistent with the archive's forms (./run loads this file).

The longest search the site's search box allows (templates/base.html, maxlength 600) is at worst
600 characters × 4 UTF-8 bytes × 3 for %XX escaping = 7,200 bytes of URL; it must fit the request
line, and the Referer header of the next page, both at gunicorn's most (8,190 bytes). Anything
longer is not something a form of the archive sends. POST bodies are limited by Django
(DATA_UPLOAD_MAX_MEMORY_SIZE, DATA_UPLOAD_MAX_NUMBER_FIELDS), which answers with the archive's
own 413 and 400 pages (lib.errors).
"""

limit_request_line = 8190
limit_request_field_size = 8190
