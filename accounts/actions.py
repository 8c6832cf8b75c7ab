from django.db import transaction

from accounts.models import Pseud, User


@transaction.atomic
def create_account(username: str, email: str, password: str) -> User:
    """A new user with their default pseud, named after them."""
    user = User.objects.create_user(username=username, email=email, password=password)
    Pseud.objects.create(user=user, name=username, is_default=True)
    return user
