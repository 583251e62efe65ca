"""Reads of the portal: the role-aware navigation, computed in one place for the header and the "我的" hub.

``navigation_for_user`` asks the database at most once (the user's staff memberships with their institutions);
every link follows from those roles, never one query per link. The rules mirror the pages' own checks (a
link is shown only to those the page lets in), so no header link leads to a 403:

- everybody: the catalog, the credit bank, the community (the apps' registered header entries);
- a signed-in resident: 我的学习, 学分银行 (theirs), 1+X 考试报名;
- a teacher: their classes (courses' staff desk) and the CMS;
- a registrar: the records import and their institution's dashboard;
- a credit officer: the review queue (and the import page, which the records app opens to them too);
- a bureau admin: the dashboard, accreditations, role grants, the CMS, real-name unbinding.
"""

from dataclasses import dataclass, field
from typing import Any

from bianxue.accounts.models import Role
from bianxue.accounts.selectors import memberships_for_user, user_is_bureau_admin
from bianxue.registry import HEADER, menu_entries_for_user
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

CMS_URL = "/admin/"
BUREAU_ADMIN = "bureau_admin"


@dataclass(frozen=True)
class NavLink:
    key: str
    label: Any
    url: str
    hint: Any = ""  # one line under the tile on the hub


@dataclass(frozen=True)
class NavSection:
    """One role's work on the hub: a heading and its tiles."""

    key: str
    title: Any
    links: tuple[NavLink, ...]


@dataclass(frozen=True)
class Navigation:
    signed_in: bool
    public: tuple[NavLink, ...]  # the header's entries for everybody
    work: tuple[NavLink, ...]  # the header's links to the user's own work (deduplicated across roles)
    sections: tuple[NavSection, ...] = ()  # the hub: one section per role held
    account: tuple[NavLink, ...] = ()  # the hub: account settings
    roles: frozenset[str] = field(default_factory=frozenset)


def _learner_links() -> tuple[NavLink, ...]:
    return (
        NavLink("courses.me", _("我的学习"), reverse("courses:me"), _("报名的课程、下一课和学习进度")),
        NavLink("credits.home", _("我的学分银行"), reverse("credits:home"), _("学分、学习成果和转换申请")),
        NavLink("courses.exams", _("1+X 考试报名"), reverse("courses:exams"), _("职业技能等级证书考试")),
    )


def _teacher_links() -> tuple[NavLink, ...]:
    return (
        NavLink("courses.staff", _("我的班级"), reverse("courses:staff"), _("上课安排、签到和学员名单")),
        NavLink("cms", _("内容管理"), CMS_URL, _("新建和修改课程、新闻")),
    )


def _registrar_links(codes: list[str]) -> tuple[NavLink, ...]:
    links = [NavLink("records.import", _("数据导入"), reverse("records:import"), _("上传学籍和学习记录"))]
    dashboard = reverse("records:dashboard")
    for code in codes[:1]:  # the dashboard lets staff switch between their institutions
        dashboard = f"{dashboard}?{urlencode({'institution': code})}"
    links.append(NavLink("records.dashboard", _("本机构看板"), dashboard, _("本机构的规划指标")))
    return tuple(links)


def _officer_links() -> tuple[NavLink, ...]:
    return (
        NavLink("credits.queue", _("审核队列"), reverse("credits:queue"), _("待认定的学习成果和转换申请")),
        NavLink("records.import", _("数据导入"), reverse("records:import"), _("上传学习成果记录")),
    )


def _bureau_links() -> tuple[NavLink, ...]:
    return (
        NavLink("records.dashboard", _("指标看板"), reverse("records:dashboard"), _("全市规划指标和各区情况")),
        NavLink("credits.accreditations", _("认证资质"), reverse("credits:accreditations"),
                _("认证资质与考核站点")),
        NavLink("accounts.grants", _("角色授权"), reverse("accounts:membership_grant"), _("授予机构工作人员角色")),
        NavLink("cms", _("内容管理"), CMS_URL, _("审核和发布课程、新闻")),
        NavLink("people.bindings", _("解除实名绑定"), reverse("people:bindings"), _("处理实名绑定的纠错")),
    )


def _account_links() -> tuple[NavLink, ...]:
    return (
        NavLink("accounts.profile", _("账户设置"), reverse("accounts:profile"), _("称呼、手机号、电子邮箱和角色")),
        NavLink("people.identity", _("实名绑定"), reverse("people:identity"), _("绑定身份证号，找回以前的学习记录")),
        NavLink("accounts.password", _("修改密码"), reverse("account_change_password")),
        NavLink("accounts.mfa", _("两步验证"), reverse("mfa_index")),
    )


ROLE_TITLES = {
    "learner": _("学习"),
    Role.TEACHER: _("教学"),
    Role.REGISTRAR: _("教务与学籍"),
    Role.CREDIT_OFFICER: _("学分认定"),
    BUREAU_ADMIN: _("教育局管理"),
}
ROLE_ORDER = ("learner", Role.TEACHER, Role.REGISTRAR, Role.CREDIT_OFFICER, BUREAU_ADMIN)


def _sections(roles: set[str], registrar_codes: list[str]) -> list[NavSection]:
    links_by_role = {
        "learner": _learner_links,
        Role.TEACHER: _teacher_links,
        Role.REGISTRAR: lambda: _registrar_links(registrar_codes),
        Role.CREDIT_OFFICER: _officer_links,
        BUREAU_ADMIN: _bureau_links,
    }
    sections = [NavSection(str(role), ROLE_TITLES[role], links_by_role[role]()) for role in ROLE_ORDER if role in roles]
    if roles - {"learner"}:  # staff confirm real-name binding claims (bianxue.people)
        desk = NavLink("people.binding_requests", _("实名绑定申请"), reverse("people:binding_requests"),
                       _("确认本机构学员的实名绑定"))
        last = sections[-1]
        sections[-1] = NavSection(last.key, last.title, (*last.links, desk))
    return sections


def _header_work(sections: list[NavSection]) -> tuple[NavLink, ...]:
    """The header's work links: each role's tiles minus the ones the header already has, once each."""
    skip = {"credits.home", "courses.exams", "people.binding_requests", "people.bindings"}
    seen: set[str] = set()
    work = []
    for section in sections:
        for link in section.links:
            if link.key in skip or link.key in seen:
                continue
            seen.add(link.key)
            work.append(link)
    return tuple(work)


def navigation_for_user(*, user) -> Navigation:
    """The header's and the hub's links for ``user`` (anonymous or None allowed): at most one query."""
    public = tuple(NavLink(e.key, e.label, str(e.url)) for e in menu_entries_for_user(menu=HEADER, user=user))
    if user is None or not user.is_authenticated:
        return Navigation(signed_in=False, public=public, work=())
    memberships = list(memberships_for_user(user=user))
    roles = {"learner", *(m.role for m in memberships)}
    if user_is_bureau_admin(user=user):
        roles.add(BUREAU_ADMIN)
    registrar_codes = [m.institution.code for m in memberships if m.role == Role.REGISTRAR]
    sections = _sections(roles, registrar_codes)
    return Navigation(signed_in=True, public=public, work=_header_work(sections), sections=tuple(sections),
                      account=_account_links(), roles=frozenset(roles))
