"""Constants shared by the courses app's reads and writes (selectors never import services)."""

from bianxue.accounts.models import Role
from bianxue.vocab import Category

# Who schedules sessions and exams for an institution (and bureau admins, for every institution).
SCHEDULE_ROLES = (Role.TEACHER, Role.REGISTRAR)

# Every category a course may have, in the order the catalog's filters (links and select) list them: the home
# page's tiles link to /learn/?category=<code> for any of them, so none may be missing (智能技术应用 was).
CATALOG_FILTER_CATEGORIES = (
    Category.ELDERLY,
    Category.SMART_TECH,
    Category.COMMUNITY,
    Category.OPEN_UNIVERSITY,
    Category.VOCATIONAL,
    Category.X_CERTIFICATE,
    Category.CONTINUING,
    Category.RURAL_LABOR,
    Category.FITNESS_LEADER,
    Category.OTHER,
)
