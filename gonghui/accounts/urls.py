from django.urls import path

from gonghui.accounts.views import auth, oidc, security, staff

app_name = "accounts"
urlpatterns = [
    path("accounts/login/", auth.login_view, name="login"),
    path("accounts/sms/", auth.sms_request, name="sms"),
    path("accounts/otp/", auth.otp_view, name="otp"),
    path("accounts/logout/", auth.logout_view, name="logout"),
    path("accounts/portal/start/", oidc.oidc_start, name="oidc_start"),
    path("accounts/portal/callback/", oidc.oidc_callback, name="oidc_callback"),
    path("work/staff/", staff.role_list, name="role_list"),
    path("work/staff/<int:pk>/revoke/", staff.role_revoke, name="role_revoke"),
    path("work/security/tokens/", security.token_list, name="token_list"),
    path("work/security/tokens/<int:pk>/revoke/", security.token_revoke, name="token_revoke"),
    path("work/security/lockouts/", security.lockout_list, name="lockout_list"),
    path("work/security/lockouts/<int:pk>/clear/", security.lockout_clear, name="lockout_clear"),
]
