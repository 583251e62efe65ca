"""StreamField blocks of the portal home page and the news pages. Editors arrange the home page with them."""

from bianxue.vocab import Category
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

# Elders first (the plan's 七(三)): the first tiles on a phone's first screen are their courses.
HOME_CATEGORIES = ["elderly", "smart_tech", "community", "open_university", "vocational", "x_certificate", "continuing"]


class SearchBlock(blocks.StructBlock):
    """The search box: GET /learn/?q=…"""

    heading = blocks.CharBlock(label=_("标题"), required=False)

    class Meta:
        icon = "search"
        label = _("搜索框")
        template = "frontend/blocks/search.html"


class CategoriesBlock(blocks.StructBlock):
    """Tiles linking to the catalog filtered by category."""

    heading = blocks.CharBlock(label=_("标题"), default="课程分类")
    categories = blocks.MultipleChoiceBlock(
        label=pgettext_lazy("categories", "类别"), choices=Category.choices, default=HOME_CATEGORIES, required=False
    )

    class Meta:
        icon = "list-ul"
        label = _("课程分类")
        template = "frontend/blocks/categories.html"


class CoursesBlock(blocks.StructBlock):
    """Courses from courses.selectors.course_list_for_home (e.g. courses for elders)."""

    heading = blocks.CharBlock(label=_("标题"), default="长辈课程")
    category = blocks.ChoiceBlock(label=_("类别"), choices=Category.choices, required=False)
    audience = blocks.CharBlock(
        label=_("面向人群代码"), required=False, default="elderly",
        help_text=_("例如 elderly（老年人）。"),
    )
    limit = blocks.IntegerBlock(label=_("数量"), default=6, min_value=1, max_value=24)

    class Meta:
        icon = "doc-full"
        label = _("课程列表")
        template = "frontend/blocks/courses.html"


class SessionsBlock(blocks.StructBlock):
    """Upcoming offline sessions, near the resident's district when known."""

    heading = blocks.CharBlock(label=_("标题"), default="近期线下课")
    limit = blocks.IntegerBlock(label=_("数量"), default=6, min_value=1, max_value=24)

    class Meta:
        icon = "date"
        label = _("近期线下课")
        template = "frontend/blocks/sessions.html"


class NextLessonBlock(blocks.StructBlock):
    """The signed-in resident's next lesson ("continue learning"); nothing for visitors."""

    heading = blocks.CharBlock(label=_("标题"), default="继续学习")

    class Meta:
        icon = "pick"
        label = _("我的下一课")
        template = "frontend/blocks/next_lesson.html"


class AnnouncementsBlock(blocks.StructBlock):
    """The latest news pages (通知公告)."""

    heading = blocks.CharBlock(label=_("标题"), default="通知公告")
    limit = blocks.IntegerBlock(label=_("数量"), default=5, min_value=1, max_value=20)

    class Meta:
        icon = "doc-empty"
        label = _("通知公告")
        template = "frontend/blocks/announcements.html"


class EntryBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=pgettext_lazy("title", "名称"))
    text = blocks.CharBlock(label=pgettext_lazy("text", "说明"), required=False)
    url = blocks.CharBlock(label=_("链接"), help_text=_("站内路径，如 /credits/。"))


class EntriesBlock(blocks.StructBlock):
    """Large entry tiles (学分银行, 学习社区 …)."""

    heading = blocks.CharBlock(label=_("标题"), default="服务入口")
    entries = blocks.ListBlock(EntryBlock(), label=_("入口"))

    class Meta:
        icon = "link"
        label = _("服务入口")
        template = "frontend/blocks/entries.html"


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("图片"))
    alt = blocks.CharBlock(label=_("替代文字"), help_text=_("为看不见图片的人描述图片。"))
    caption = blocks.CharBlock(label=pgettext_lazy("caption", "说明"), required=False)

    class Meta:
        icon = "image"
        label = _("图片")
        template = "frontend/blocks/image.html"


class HomeStreamBlock(blocks.StreamBlock):
    search = SearchBlock()
    categories = CategoriesBlock()
    courses = CoursesBlock()
    sessions = SessionsBlock()
    next_lesson = NextLessonBlock()
    announcements = AnnouncementsBlock()
    entries = EntriesBlock()
    text = blocks.RichTextBlock(label=pgettext_lazy("text", "正文"), features=["h2", "h3", "bold", "link", "ol", "ul"],
                                template="frontend/blocks/text.html")
    image = ImageBlock()


class NewsStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=pgettext_lazy("text", "正文"), features=["h2", "h3", "bold", "link", "ol", "ul", "document-link"],
                                template="frontend/blocks/text.html")
    image = ImageBlock()


def home_default_sections() -> list[tuple[str, dict]]:
    """The layout used until an editor arranges the home page (and by the demo loader)."""
    return [
        ("next_lesson", {"heading": "继续学习"}),
        ("categories", {"heading": "课程分类", "categories": HOME_CATEGORIES}),
        ("courses", {"heading": "长辈课程", "category": "", "audience": "elderly", "limit": 6}),
        ("sessions", {"heading": "近期线下课", "limit": 6}),
        ("entries", {"heading": "服务入口", "entries": [
            {"title": "学分银行", "text": "查看学分、申请认定与转换、下载学习成果证明", "url": "/credits/"},
            {"title": "学习社区", "text": "讨论区、学习圈和直播答疑", "url": "/community/"},
            {"title": "全部课程", "text": "开放教育、社区教育、老年教育、职业技能培训", "url": "/learn/"},
        ]}),
        ("announcements", {"heading": "通知公告", "limit": 5}),
    ]
