"""What each audit action code means, in words (the audit log shows these, never the raw code)."""

from django.utils.translation import gettext_lazy as _

AUDIT_ACTIONS = {
    "attendance.correct": _("更正考勤"),
    "attendance.scan": _("扫码签到"),
    "binding.code_sent": _("发送实名绑定验证码"),
    "binding.confirm": _("确认实名绑定"),
    "binding.reject": _("拒绝实名绑定"),
    "binding.request": _("申请实名绑定"),
    "binding.unbind": _("解除实名绑定"),
    "binding.verify": _("验证实名绑定"),
    "binding.withdraw": _("撤回实名绑定"),
    "certificate.import_update": _("导入更新证书"),
    "courses.roster.export": _("导出学员名单"),
    "credits.account.lookup": _("查询学员账户"),
    "credits.accreditation.set": _("设置认证资质"),
    "credits.application.under_review": _("开始审核转换申请"),
    "credits.application.approved": _("同意转换申请"),
    "credits.application.rejected": _("不同意转换申请"),
    "credits.application.applied": _("登记免修"),
    "credits.conversion.outcome_revoked": _("转换所依据的成果被撤销"),
    "credits.conversion_rule.create": _("新建转换规则"),
    "credits.outcome.certify": _("认证学习成果"),
    "credits.outcome.correct": _("更正学习成果"),
    "credits.outcome.reject": _("不予认证学习成果"),
    "credits.outcome.review": _("开始审核学习成果"),
    "credits.outcome.revoke": _("撤销学习成果"),
    "credits.rule.revise": _("修订认定规则"),
    "exam_registration.cancel": _("取消考试报名"),
    "exam_registration.create": _("考试报名"),
    "exam_result.record": _("登记考试成绩"),
    "exam_session.cancel": _("取消考试场次"),
    "exam_session.create": _("新建考试场次"),
    "exam_session.update": _("修改了考试场次"),
    "institution.import_update": _("导入更新机构"),
    "major.import_update": _("导入更新专业"),
    "membership.change": _("修改机构角色"),
    "membership.grant": _("授予机构角色"),
    "membership.revoke": _("收回机构角色"),
    "record.correct": _("更正学习记录"),
    "records.import": _("导入学习记录"),
    "records.import.resume": _("继续导入学习记录"),
    "records.upload": _("上传学习记录文件"),
    "roster.correct": _("更正在校生名册"),
    "session.cancel": _("取消线下课次"),
    "session.create": _("新建线下课次"),
    "session.update": _("修改线下课次"),
    "user.bureau_admin": _("设置教育局管理员"),
}


def audit_action_label(code: str) -> str:
    """The action in the reader's language; an unknown code is shown as it is."""
    return str(AUDIT_ACTIONS.get(code, code))
