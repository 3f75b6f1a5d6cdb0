"""Sign-in pages: two-factor enrolment, verification and management, the rate-limited password reset, and
the lockout page. They hold no logic of their own: accounts.two_factor and accounts.password_reset do."""

from __future__ import annotations

import base64
from functools import wraps
from typing import Any
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import match_token
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from accounts.password_reset import RateLimitedPasswordResetForm
from audit.services import audit_record


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True, "size": 14}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).lower()
        if len(code) == 10 and code.isalnum() and not code.isdigit():
            code = f"{code[:5]}-{code[5:]}"  # a recovery code typed without its dash
        return code


def _context(request: HttpRequest, title: str, **extra: Any) -> dict[str, Any]:
    return {**admin.site.each_context(request), "is_nav_sidebar_enabled": False, "title": title, **extra}


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("admin:index")


def _signed_in(view: Any) -> Any:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not (request.user.is_authenticated and request.user.is_active and request.user.is_staff):
            return HttpResponseRedirect(
                f"{reverse('admin:login')}?{urlencode({'next': request.get_full_path()})}"
            )
        return view(request, *args, **kwargs)

    return wrapper


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


def _show_recovery_codes(request: HttpRequest, codes: list[str], *, first_time: bool) -> HttpResponse:
    # Rendered, never redirected: the codes must not be stored anywhere, not even in the session.
    context = _context(
        request, "Your recovery codes", codes=codes, first_time=first_time, next=_next_url(request)
    )
    return _no_store(render(request, "accounts/recovery_codes.html", context))


@never_cache
@sensitive_post_parameters("code")
@csrf_protect
@_signed_in
def setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if two_factor.two_factor_need(user) is two_factor.Need.VERIFY:
        # Someone with the password but not the phone must not enrol a phone of their own.
        return HttpResponseRedirect(
            f"{reverse('two_factor_verify')}?{urlencode({'next': _next_url(request)})}"
        )
    device = two_factor.totp_device_pending(user=user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = two_factor.totp_device_confirm(device=device, token=form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            return _show_recovery_codes(request, codes, first_time=True)
        form.add_error("code", "That code does not match. Check the phone's clock and type the newest code.")
    uri = device.config_url
    b32 = base64.b32encode(device.bin_key).decode().rstrip("=")
    context = _context(
        request,
        "Set up two-factor sign-in",
        form=form,
        # segno writes the SVG itself from the otpauth URI; nothing user-typed is in it unescaped.
        qr_svg=mark_safe(  # noqa: S308
            segno.make(uri, error="m").svg_inline(scale=5, omitsize=True, dark="#1f2937", light="#ffffff")
        ),
        secret_groups=" ".join(b32[i : i + 4] for i in range(0, len(b32), 4)),
        required=user.is_superuser and two_factor.operators_must_enrol(),
        next=_next_url(request),
    )
    return _no_store(render(request, "accounts/two_factor_setup.html", context))


@never_cache
@sensitive_post_parameters("code")
@csrf_protect
@_signed_in
def verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    need = two_factor.two_factor_need(user)
    if need is two_factor.Need.ENROL:
        return HttpResponseRedirect(
            f"{reverse('two_factor_setup')}?{urlencode({'next': _next_url(request)})}"
        )
    if need is two_factor.Need.NOTHING:
        return HttpResponseRedirect(_next_url(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = two_factor.recovery_codes_left(user=user)
                audit_record(action="two_factor.recovery_code_used", obj=device, detail=f"{left} left")
                messages.warning(
                    request,
                    f"You signed in with a recovery code; {left} left. Each works once: "
                    "make new ones under Two-factor sign-in if you are running low.",
                )
            return HttpResponseRedirect(_next_url(request))
        form.add_error("code", "That code is not right, or too many wrong codes were tried: wait a moment.")
    return render(
        request,
        "accounts/two_factor_verify.html",
        _context(request, "Two-factor sign-in", form=form, next=_next_url(request)),
    )


@never_cache
@csrf_protect
@_signed_in
def manage(request: HttpRequest) -> HttpResponse:
    """What the signed-in person has enrolled; new recovery codes; owners may turn two-factor off."""
    user = request.user
    need = two_factor.two_factor_need(user)
    if need is not two_factor.Need.NOTHING:
        # The two-factor pages are open before the second factor, so this one checks it itself: a stolen
        # password must not be enough to mint recovery codes or turn two-factor off.
        target = "two_factor_setup" if need is two_factor.Need.ENROL else "two_factor_verify"
        return HttpResponseRedirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
    has_totp = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    required = user.is_superuser and two_factor.operators_must_enrol()
    if request.method == "POST" and has_totp:
        action = request.POST.get("action")
        if action == "recovery_codes":
            return _show_recovery_codes(
                request, two_factor.recovery_codes_create(user=user), first_time=False
            )
        if action == "remove" and not required:
            two_factor.two_factor_remove(user=user, reason="turned off by the user")
            messages.success(request, "Two-factor sign-in is off. Your password alone now signs you in.")
            return HttpResponseRedirect(reverse("two_factor_manage"))
    context = _context(
        request,
        "Two-factor sign-in",
        has_totp=has_totp,
        required=required,
        codes_left=two_factor.recovery_codes_left(user=user),
    )
    return render(request, "accounts/two_factor_manage.html", context)


class _HostlinePage:
    """Django's password views with the admin's context (Hostline's name, never "Django administration")
    and a title of our own; the templates are in templates/registration/."""

    request: HttpRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        return {**admin.site.each_context(self.request), "is_nav_sidebar_enabled": False, **context}


class RateLimitedPasswordResetView(_HostlinePage, auth_views.PasswordResetView):
    form_class = RateLimitedPasswordResetForm
    title = "Reset your Hostline password"
    subject_template_name = "registration/hostline_password_reset_subject.txt"

    def form_valid(self, form: Any) -> HttpResponse:
        form.request = self.request
        return super().form_valid(form)


class PasswordResetDoneView(_HostlinePage, auth_views.PasswordResetDoneView):
    title = "Check your email"


class SetPasswordView(_HostlinePage, auth_views.PasswordResetConfirmView):
    """Where the welcome email's and the reset email's links land."""

    title = "Set your Hostline password"


class PasswordResetCompleteView(_HostlinePage, auth_views.PasswordResetCompleteView):
    title = "Your Hostline password is set"


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in: a page that says what happened and what to do."""
    from axes.helpers import get_cool_off

    cool_off = get_cool_off(request)
    minutes = max(1, int(cool_off.total_seconds() // 60)) if cool_off else None
    response = render(
        request,
        "accounts/locked_out.html",
        _context(request, "Sign-in paused", minutes=minutes),
        status=429,
    )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
