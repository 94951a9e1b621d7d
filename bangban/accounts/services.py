from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from .models import User


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str,
    role: str,
    display_name: str = "",
    region=None,
    department=None,
    mobile: str = "",
    enterprise=None,
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    user = User(
        username=username,
        role=role,
        display_name=display_name,
        region=region,
        department=department,
        mobile=mobile,
        enterprise=enterprise,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    validate_password(password, user)
    user.set_password(password)
    user.full_clean()
    user.save()
    return user
