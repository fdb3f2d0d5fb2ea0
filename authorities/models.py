from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
)
from django.db import models
from django.utils import timezone


class LocalAuthorityQuerySet(models.QuerySet):
    def inner(self):
        return self.filter(inner_outer=LocalAuthority.InnerOuter.INNER)

    def outer(self):
        return self.filter(inner_outer=LocalAuthority.InnerOuter.OUTER)


class LocalAuthority(models.Model):
    """One of London's 33 local authorities (32 boroughs and the City)."""

    class InnerOuter(models.TextChoices):
        INNER = "inner", "Inner London"
        OUTER = "outer", "Outer London"

    dfe_code = models.CharField("DfE code", max_length=3, unique=True)
    ons_code = models.CharField("ONS code", max_length=9, unique=True)
    name = models.CharField(max_length=100, unique=True)
    inner_outer = models.CharField(
        "Inner or Outer London", max_length=5, choices=InnerOuter.choices
    )

    objects = LocalAuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "local authority"
        verbose_name_plural = "local authorities"

    def __str__(self):
        return self.name


class ClusterSet(models.Model):
    """A way of dividing London into clusters; an LA belongs to one per set."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(unique=True)
    is_default = models.BooleanField(
        default=False, help_text="The set shown first wherever clusters are offered."
    )

    class Meta:
        ordering = ["-is_default", "name"]

    def __str__(self):
        return self.name


class Cluster(models.Model):
    """A group of LAs within one cluster set, such as "North Central"."""

    cluster_set = models.ForeignKey(
        ClusterSet, on_delete=models.CASCADE, related_name="clusters"
    )
    name = models.CharField(max_length=100)
    slug = models.SlugField()
    authorities = models.ManyToManyField(LocalAuthority, related_name="clusters")

    class Meta:
        ordering = ["cluster_set", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["cluster_set", "slug"], name="unique_cluster_slug_per_set"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.cluster_set})"


class Role(models.TextChoices):
    """The roles of DESIGN.md section 2."""

    LA_EDITOR = "la_editor", "LA editor"
    LA_APPROVER = "la_approver", "LA approver"
    LA_VIEWER = "la_viewer", "LA viewer"
    ANALYST = "analyst", "Analyst"
    PROGRAMME_MANAGER = "programme_manager", "Programme manager"
    DFE_VIEWER = "dfe_viewer", "DfE viewer"


# Lists, not sets: the user constraint below must render the same way every
# time, or makemigrations sees a change on each run.
LA_ROLES = [Role.LA_EDITOR, Role.LA_APPROVER, Role.LA_VIEWER]
RIA_TEAM_ROLES = [Role.ANALYST, Role.PROGRAMME_MANAGER]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **fields):
        """Create a user; the e-mail address is stored in lower case."""
        if not email:
            raise ValueError("A user needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("role", Role.ANALYST)
        fields.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **fields)

    def get_by_natural_key(self, username):
        # Sign-in is case-insensitive on the e-mail address.
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with their e-mail address.

    LA roles belong to exactly one authority; the RIA team and DfE roles to none.
    """

    email = models.EmailField("e-mail address", unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=20, choices=Role.choices)
    authority = models.ForeignKey(
        LocalAuthority,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        default=False, help_text="May sign in to the admin site."
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        ordering = ["email"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(
                        role__in=[r.value for r in LA_ROLES], authority__isnull=False
                    )
                    | (
                        ~models.Q(role__in=[r.value for r in LA_ROLES])
                        & models.Q(authority__isnull=True)
                    )
                ),
                name="la_roles_have_an_authority",
                violation_error_message=(
                    "LA editors, approvers and viewers need an authority; "
                    "other roles must not have one."
                ),
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_la_user(self) -> bool:
        return self.role in LA_ROLES

    @property
    def is_ria_team(self) -> bool:
        return self.role in RIA_TEAM_ROLES

    @property
    def is_analyst(self) -> bool:
        return self.role == Role.ANALYST

    @property
    def is_dfe_viewer(self) -> bool:
        return self.role == Role.DFE_VIEWER

    @property
    def can_edit_la_work(self) -> bool:
        """Editors and approvers may change and submit their LA's drafts."""
        return self.role in {Role.LA_EDITOR, Role.LA_APPROVER}
