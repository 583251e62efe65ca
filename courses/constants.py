"""Constants shared by the courses app's reads and writes (selectors never import services)."""

from bianxue.accounts.models import Role

# Who schedules sessions and exams for an institution (and bureau admins, for every institution).
SCHEDULE_ROLES = (Role.TEACHER, Role.REGISTRAR)
