"""StreamField blocks of a course's lessons: video, audio, rich text, document and quiz.

Every lesson is one block of ``CoursePage.lessons``; its StreamField block ``id`` (a uuid that
Wagtail keeps across revisions) is the lesson's stable id, used by progress rows and quiz attempts.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock


class LessonBlock(blocks.StructBlock):
    """Fields every lesson has."""

    title = blocks.CharBlock(label=_("课时标题"), max_length=120)
    minutes = blocks.IntegerBlock(label=_("时长（分钟）"), min_value=0, default=10)
    required = blocks.BooleanBlock(label=_("必修"), required=False, default=True)

    class Meta:
        abstract = True


class VideoLessonBlock(LessonBlock):
    """A video with a captions file (WebVTT). Completion when watched to the course's threshold."""

    video = DocumentChooserBlock(label=_("视频文件"), required=False)
    video_url = blocks.CharBlock(
        label=_("或视频地址"), required=False,
        help_text=_("站内静态文件路径或 https 地址。"),
    )
    captions = DocumentChooserBlock(label=_("字幕文件（WebVTT）"), required=False)
    captions_url = blocks.CharBlock(label=_("或字幕地址"), required=False)
    summary = blocks.RichTextBlock(label=pgettext_lazy("summary", "说明"), required=False, features=["bold", "italic", "link", "ol", "ul"])

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if not value.get("video") and not value.get("video_url"):
            errors["video"] = ValidationError(gettext("请选择视频文件或填写地址。"))
        if not value.get("captions") and not value.get("captions_url"):
            errors["captions"] = ValidationError(gettext("视频课须有字幕。"))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    class Meta:
        icon = "media"
        label = _("视频课")


class AudioLessonBlock(LessonBlock):
    """Audio with a full transcript (required: elder mode and accessibility)."""

    audio = DocumentChooserBlock(label=_("音频文件"), required=False)
    audio_url = blocks.CharBlock(label=_("或音频地址"), required=False)
    transcript = blocks.RichTextBlock(label=_("文字稿"), features=["bold", "italic", "ol", "ul", "h3"])

    def clean(self, value):
        value = super().clean(value)
        if not value.get("audio") and not value.get("audio_url"):
            raise StructBlockValidationError(
                block_errors={"audio": ValidationError(gettext("请选择音频文件或填写地址。"))}
            )
        return value

    class Meta:
        icon = "media"
        label = _("音频课")


class TextLessonBlock(LessonBlock):
    """Reading: rich text. Completed by "mark done"."""

    body = blocks.RichTextBlock(label=_("正文"))

    class Meta:
        icon = "doc-full"
        label = _("图文课")


class DocumentLessonBlock(LessonBlock):
    """A handout or slides to download. Completed by "mark done"."""

    document = DocumentChooserBlock(label=_("文档"))
    summary = blocks.RichTextBlock(label=pgettext_lazy("summary", "说明"), required=False, features=["bold", "italic", "link"])

    class Meta:
        icon = "doc-full-inverse"
        label = _("资料课")


class ChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("选项"), max_length=200)
    correct = blocks.BooleanBlock(label=_("正确答案"), required=False)

    class Meta:
        icon = "tick"
        label = _("选项")


class QuestionValue(blocks.StructValue):
    """A question as templates and marking see it: single-answer (one correct choice: radio buttons) or
    multiple-answer (several correct choices: checkboxes)."""

    def correct_indexes(self) -> list[int]:
        return [i for i, choice in enumerate(self["choices"]) if choice["correct"]]

    def multiple(self) -> bool:
        return len(self.correct_indexes()) > 1


class QuestionBlock(blocks.StructBlock):
    """A single- or multiple-choice question of the quiz's question bank: one correct choice makes it a
    single-answer question (radio buttons), several a multiple-answer one (checkboxes)."""

    text = blocks.CharBlock(label=_("题目"), max_length=300)
    choices = blocks.ListBlock(ChoiceBlock(), label=pgettext_lazy("choices", "选项"), min_num=2)
    explanation = blocks.CharBlock(label=_("解析"), required=False, max_length=300)

    def clean(self, value):
        value = super().clean(value)
        if not any(c["correct"] for c in value["choices"]):
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError(gettext("至少要有一个正确选项。"))}
            )
        return value

    class Meta:
        icon = "help"
        label = _("题目")
        value_class = QuestionValue


class QuizLessonBlock(LessonBlock):
    """A quiz: a question bank, automatic marking, a pass mark and an attempt limit.

    With ``draw`` > 0 each attempt shows that many questions drawn from the bank (stable per
    attempt); 0 shows every question.
    """

    pass_mark = blocks.IntegerBlock(label=_("及格分（百分制）"), min_value=0, max_value=100, default=60)
    max_attempts = blocks.IntegerBlock(label=_("最多作答次数"), min_value=1, default=3)
    draw = blocks.IntegerBlock(label=_("每次抽题数（0 为全部）"), min_value=0, default=0)
    questions = blocks.ListBlock(QuestionBlock(), label=_("题库"), min_num=1)
    show_answers = blocks.BooleanBlock(
        label=_("每次作答后显示正确答案"), required=False, default=True,
        help_text=_("不勾选时，通过测验或作答次数用完后才显示正确答案；每题对错总是显示。"),
    )

    class Meta:
        icon = "form"
        label = _("测验")


class LessonStreamBlock(blocks.StreamBlock):
    video = VideoLessonBlock()
    audio = AudioLessonBlock()
    text = TextLessonBlock()
    document = DocumentLessonBlock()
    quiz = QuizLessonBlock()

    class Meta:
        block_counts = {}
