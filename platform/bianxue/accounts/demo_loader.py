"""One demo user per role. Every staff role and the bureau admin sign in with TOTP: each gets a device with a
printed secret.

Idempotent: running it again resets the demo passwords, keeps the TOTP secrets and memberships.
The demo learner's real-name binding is made by the people app's demo loader (it runs after this one).
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from bianxue.institutions.models import Institution

from .models import Role, StaffMembership, User
from .services import user_admin_groups_sync

# email, password, display name, institution code, role (None: learner; "bureau_admin": flag)
DEMO_USERS = [
    ("learner@demo.bianxue.cn", "Bianxue-learner-2026", "王秀兰（学员）", None, None),
    ("teacher@demo.bianxue.cn", "Bianxue-teacher-2026", "李老师（开封老年大学）", "KF-EU", Role.TEACHER),
    ("registrar@demo.bianxue.cn", "Bianxue-registrar-2026", "赵教务（开封智慧健康职业学院）", "KF-HV-KFZH", Role.REGISTRAR),
    ("credit@demo.bianxue.cn", "Bianxue-credit-2026", "陈认定员（开封开放大学）", "KF-OU", Role.CREDIT_OFFICER),
    ("bureau@demo.bianxue.cn", "Bianxue-bureau-2026", "孙管理员（开封市教育局）", None, "bureau_admin"),
]
DEMO_PHONE = {"learner@demo.bianxue.cn": "+8613800000001"}
# Base32 TOTP secrets of the demo accounts that must use MFA (printed so an authenticator app can add them).
DEMO_TOTP_SECRETS = {
    "teacher@demo.bianxue.cn": "JBSWY3DPEHPK3PXPBIANXUETEACHERAA",
    "registrar@demo.bianxue.cn": "JBSWY3DPEHPK3PXPBIANXUEREGISTRAR",
    "credit@demo.bianxue.cn": "JBSWY3DPEHPK3PXPBIANXUECREDITAAA",
    "bureau@demo.bianxue.cn": "JBSWY3DPEHPK3PXPBIANXUEBUREAUAAA",
}


def load(*, stdout) -> None:
    stdout.write("  demo logins (email / password; the learner can also sign in with 13800000001):")
    for email, password, name, inst_code, role in DEMO_USERS:
        user = User.objects.filter(email=email).first() or User(username=email, email=email)
        user.display_name = name
        user.phone = DEMO_PHONE.get(email)
        user.phone_verified = bool(user.phone)
        user.is_bureau_admin = role == "bureau_admin"
        # Wagtail admin access comes from the role groups (user_admin_groups_sync); there is no Django admin.
        user.is_staff = False
        user.is_superuser = False
        user.set_password(password)
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        if inst_code and role:
            StaffMembership.objects.get_or_create(
                user=user, institution=Institution.objects.get(code=inst_code), role=role
            )
        user_admin_groups_sync(user=user)
        secret = DEMO_TOTP_SECRETS.get(email)
        if secret and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, secret)
        label = role if isinstance(role, str) else (role.value if role else "learner")
        line = f"    {label:15} {email:28} {password}"
        if secret:
            line += f"   TOTP secret {secret}"
        stdout.write(line)
