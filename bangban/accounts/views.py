"""Login, the TOTP second factor, password change, API tokens and logout. The workbench each
role lands on after login is in bangban.web. docs/login.md tells the whole story."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from . import selectors, services
from .forms import LoginForm, PasswordChange, TotpCodeForm, lock_message
from .policy import (
    SECOND_FACTOR_SESSION_KEY,
    client_address,
    login_policy,
    second_factor_required,
)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if second_factor_required(user):
            device = selectors.totp_device_for(user)
            page = "verify" if device is not None and device.is_confirmed else "enrol"
            return redirect_to_login(
                self.get_success_url(), reverse(f"accounts:second_factor_{page}")
            )
        return response


class LogoutView(auth_views.LogoutView):
    pass


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("web:home")


def _second_factor_done(request):
    request.session[SECOND_FACTOR_SESSION_KEY] = request.user.pk
    request.session.cycle_key()
    return redirect(_next_url(request))


def _locked_out(request, exc: services.AccountLocked):
    message = lock_message(exc.lock)
    logout(request)
    messages.error(request, message)
    return redirect("accounts:login")


def _checked_code(request, form, check, *, done: str = ""):
    """Run ``check`` (confirm an enrolment, or verify a login) on the posted code: the answer
    to send when it is done (or the account got locked), None to show the form again (not
    posted, or the code refused: the form carries the message)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        check(user=request.user, code=form.cleaned_data["code"], address=client_address(request))
    except services.AccountLocked as exc:
        return _locked_out(request, exc)
    except ValidationError as exc:
        form.add_error("code", exc)
        return None
    if done:
        messages.success(request, done)
    return _second_factor_done(request)


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_enrol(request):
    """Show a new secret as a QR code (drawn here) and as text; a code from the authenticator
    confirms it. Once confirmed, the secret is never shown again."""
    if not second_factor_required(request.user):
        return redirect("web:home")
    device = selectors.totp_device_for(request.user)
    if device is not None and device.is_confirmed:
        return redirect_to_login(_next_url(request), reverse("accounts:second_factor_verify"))
    form = TotpCodeForm(request.POST or None)
    answer = _checked_code(
        request,
        form,
        services.totp_enrolment_confirm,
        done="动态验证码已绑定，以后登录时请输入验证器上的验证码。",
    )
    if answer is not None:
        return answer
    device = services.totp_enrolment_start(user=request.user)
    secret = selectors.totp_secret_for_enrolment(device)
    uri = selectors.totp_provisioning_uri(request.user, secret)
    return render(
        request,
        "accounts/second_factor_enrol.html",
        {
            "form": form,
            "qr_svg": selectors.qr_code_svg(uri),
            "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
            "next": _next_url(request),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def second_factor_verify(request):
    if not second_factor_required(request.user):
        return redirect("web:home")
    device = selectors.totp_device_for(request.user)
    if device is None or not device.is_confirmed:
        return redirect_to_login(_next_url(request), reverse("accounts:second_factor_enrol"))
    form = TotpCodeForm(request.POST or None)
    answer = _checked_code(request, form, services.totp_verify)
    if answer is not None:
        return answer
    return render(
        request, "accounts/second_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChange
    success_url = reverse_lazy("web:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "密码已修改。")
        return response


@login_required
@require_http_methods(["GET", "POST"])
def api_token(request):
    """The user's own API token: make one (its key shown on this answer only), or revoke it."""
    if not services.api_token_allowed(request.user):
        return redirect("web:home")
    new_key = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if services.api_token_revoke(user=request.user):
                messages.success(request, "接口令牌已撤销，使用它的调用将被拒绝。")
            return redirect("accounts:api_token")
        new_key = services.api_token_create(user=request.user).key
    token = selectors.api_token_for(request.user)
    expires_at = selectors.api_token_expires_at(token) if token else None
    return render(
        request,
        "accounts/api_token.html",
        {
            "token": token,
            "new_key": new_key,
            "expires_at": expires_at,
            "expired": expires_at is not None and expires_at <= timezone.now(),
            "token_days": login_policy().api_token_days,
        },
    )
