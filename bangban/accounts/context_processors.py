from .selectors import password_change_due


def password_reminder(request):
    """``password_change_due``: the banner on every page once the password is older than the
    password profile's reminder age."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"password_change_due": password_change_due(user)}
