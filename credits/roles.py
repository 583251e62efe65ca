"""Who acts for the credit bank: the roles that make a user a credit officer of an institution."""

from bianxue.accounts.models import Role

OFFICER_ROLES = (Role.CREDIT_OFFICER,)
