from django.contrib.auth.backends import ModelBackend


class GonghuiBackend(ModelBackend):
    """Password sign-in for staff. Django model permissions (used only by the configuration admin)
    follow the ``admin.site`` role permission instead of per-user permission rows."""

    def has_perm(self, user_obj, perm, obj=None):
        if not user_obj.is_active or not hasattr(user_obj, "has_gonghui_perm"):
            return False
        return user_obj.has_gonghui_perm("admin.site")

    def has_module_perms(self, user_obj, app_label):
        return self.has_perm(user_obj, f"{app_label}.view")
