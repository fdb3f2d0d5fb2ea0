from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .models import Cluster, ClusterSet, LocalAuthority, User


@admin.register(LocalAuthority)
class LocalAuthorityAdmin(admin.ModelAdmin):
    list_display = ["name", "dfe_code", "ons_code", "inner_outer"]
    list_filter = ["inner_outer", "clusters"]
    search_fields = ["name", "dfe_code", "ons_code"]


class ClusterInline(admin.TabularInline):
    model = Cluster
    extra = 0
    prepopulated_fields = {"slug": ["name"]}


@admin.register(ClusterSet)
class ClusterSetAdmin(admin.ModelAdmin):
    list_display = ["name", "is_default"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ClusterInline]


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ["name", "cluster_set"]
    list_filter = ["cluster_set"]
    filter_horizontal = ["authorities"]
    prepopulated_fields = {"slug": ["name"]}


class UserCreateForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name", "role", "authority"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    add_form = UserCreateForm
    form = UserEditForm
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "authority", "is_active"]
    list_filter = ["role", "authority", "is_active", "is_staff"]
    search_fields = ["email", "full_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "role", "authority"]}),
        (
            "Access",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": [
                    "email",
                    "full_name",
                    "role",
                    "authority",
                    "usable_password",
                    "password1",
                    "password2",
                ],
            },
        ),
    ]
