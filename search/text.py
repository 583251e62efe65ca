"""Text as residents type it, turned into the tokens both backends index and match.

Chinese text is indexed as characters, character bigrams and jieba's words (so a title is found with a word left
out and without a dictionary of every course name), and, for every bigram, its toneless pinyin, and for every word its
initials (手机 -> ``souji`` and ``sj``). Pinyin is normalised the way pinyin keyboards' fuzzy settings are (zh/z, ch/c,
sh/s, ang/an, eng/en, ing/in), and homophones share it: 照户 and 照护 are both ``zaohu``, so a typo from a pinyin
keyboard matches. Latin input is read as an English word, as pinyin split into syllables (``shouji``), or, with no
vowel, as initials (``sj``).

A query becomes *groups*: one per bigram (or per synonym term), each a set of alternatives (an alternative is a
tuple of tokens that must all match). The backends count the groups a document matches (in its title, anywhere,
and with the exact characters) and search.ranking turns the counts into a score, the same on every engine.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin

CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
RUN = re.compile(rf"[{CJK}]+|[a-z0-9]+")
CJK_RUN = re.compile(rf"[{CJK}]+")
VOWELS = set("aeiouv")

# Toneless pinyin syllables (pypinyin's dictionary without the interjections m, n, ng, hm, hng, which would let any
# consonant string split into "syllables").
SYLLABLES = frozenset("""
a ai an ang ao ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu ca cai can cang cao ce cei cen ceng
cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo ci cong cou cu cuan
cui cun cuo da dai dan dang dao de dei den deng di dia dian diao die ding diu dong dou du duan dui dun duo e ei en
eng er fa fan fang fei fen feng fo fou fu ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui
gun guo ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin
jing jiong jiu ju juan jue jun ka kai kan kang kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai
lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo lv lve ma mai man mang
mao me mei men meng mi mian miao mie min ming miu mo mou mu na nai nan nang nao ne nei nen neng ni nian niang niao
nie nin ning niu nong nou nu nuan nun nuo nv nve o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po
pou pu qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan
rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua shuai
shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te teng ti tian tiao tie ting tong
tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wu xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue
xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao ze zei zen zeng zha zhai zhan
zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo zi zong zou zu zuan zui
zun zuo
""".split())
LONGEST = max(map(len, SYLLABLES))
MAX_INITIALS = 6  # longer strings without a vowel are not initials anyone types
COMMON = 100  # jieba's frequency from which a word inside a longer one counts as a word of its own


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, ü as v (how pinyin keyboards type it)."""
    return unicodedata.normalize("NFKC", text or "").lower().replace("ü", "v")


def fuzzy(syllable: str) -> str:
    """A syllable as pinyin keyboards' fuzzy mode hears it: zh=z, ch=c, sh=s, ang=an, eng=en, ing=in."""
    if syllable[:2] in ("zh", "ch", "sh"):
        syllable = syllable[0] + syllable[2:]
    if syllable.endswith("ng") and len(syllable) > 2 and syllable[-3] in "aei":
        syllable = syllable[:-1]
    return syllable


@functools.lru_cache(maxsize=4096)
def syllables_of(text: str) -> tuple[str, ...]:
    """The toneless pinyin of a run of hanzi (polyphones read in context by pypinyin's phrase dictionary)."""
    return tuple(s if s.isalpha() else "" for s in lazy_pinyin(text, style=Style.NORMAL, v_to_u=False))


@functools.lru_cache(maxsize=4096)
def pinyin_split(word: str) -> tuple[str, ...] | None:
    """``shouji`` -> (shou, ji); None when the letters are not a sequence of pinyin syllables. Prefers the split
    with the fewest syllables (``xian`` is one syllable, not xi+an)."""
    best: list[tuple[str, ...] | None] = [None] * (len(word) + 1)
    best[0] = ()
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - LONGEST), end):
            head = best[start]
            if head is not None and word[start:end] in SYLLABLES:
                candidate = (*head, word[start:end])
                if best[end] is None or len(candidate) < len(best[end]):
                    best[end] = candidate
    return best[-1]


def _jieba():
    import jieba

    jieba.setLogLevel(60)
    return jieba


@functools.lru_cache(maxsize=2048)
def words_of(run: str) -> tuple[str, ...]:
    """jieba's words of a hanzi run (search mode: 智能手机 gives 智能, 手机 and 智能手机)."""
    return tuple(w for w in _jieba().cut_for_search(run) if len(w) > 1)


@functools.lru_cache(maxsize=2048)
def initial_words(run: str) -> tuple[str, ...]:
    """The words whose initials are indexed: jieba's precise words, and the common words inside them (智能手机
    gives 智能手机, 智能 and 手机; 计算机 gives 计算机 and 计算 but not the rare 算机, so ``sj`` is not 计算机)."""
    jieba = _jieba()
    precise = [w for w in jieba.cut(run) if len(w) > 1]
    inner = [w for w in words_of(run) if w not in precise and jieba.dt.FREQ.get(w, 0) >= COMMON]
    return tuple(dict.fromkeys([*precise, *inner]))


def _bigrams(items) -> list:
    return [items[i] + items[i + 1] for i in range(len(items) - 1)]


def pinyin_tokens(run: str) -> list[str]:
    """The fuzzy pinyin of every bigram of a hanzi run (照护 -> zaohu)."""
    syllables = syllables_of(run)
    return [fuzzy(a) + fuzzy(b) for a, b in zip(syllables, syllables[1:], strict=False) if a and b]


def initials_of(word: str) -> str:
    """智能手机 -> znsj. Initials are indexed per word (see initial_words), not per bigram."""
    return "".join(s[:1] for s in syllables_of(word)) or word


def index_tokens(*texts: str) -> list[str]:
    """Every token a text is found by (see the module's docstring), in order, without repeats."""
    tokens: list[str] = []
    for text in texts:
        for run in RUN.findall(normalise(text)):
            if CJK_RUN.fullmatch(run):
                full = pinyin_tokens(run)
                tokens += [*run, *_bigrams(run), *(w for w in words_of(run) if len(w) > 2), *full,
                           *map(initials_of, initial_words(run))]
            else:
                tokens.append(run)
    return list(dict.fromkeys(tokens))


def pinyin_full(text: str) -> str:
    """All the toneless pinyin of a text run together (for suggestions as one types): 智能手机 -> zhinengshouji."""
    return "".join(s for run in CJK_RUN.findall(normalise(text)) for s in syllables_of(run))


def pinyin_initials(text: str) -> str:
    return "".join(s[0] for run in CJK_RUN.findall(normalise(text)) for s in syllables_of(run) if s)


@dataclass(frozen=True)
class Group:
    """One part of a query: matched when any alternative (a tuple of tokens, all needed) is. ``exact`` is the
    alternative of the characters typed (the others are their homophones, pinyin or synonyms)."""

    alternatives: tuple[tuple[str, ...], ...]
    exact: tuple[str, ...] = ()

    @property
    def tokens(self) -> set[str]:
        return {t for alt in self.alternatives for t in alt}


def _hanzi_alternatives(term: str) -> list[tuple[str, ...]]:
    """A hanzi term as its characters (bigrams) and as its fuzzy pinyin."""
    if len(term) == 1:
        return [(term,)]
    full = pinyin_tokens(term)
    return [tuple(_bigrams(term)), *([tuple(full)] if full else [])]


def _hanzi_groups(run: str, synonyms: dict[str, tuple[str, ...]]) -> list[Group]:
    """A hanzi run: one group per synonym term found in it (any of its synonyms will do), one per bigram of the
    rest (a lone character is a group of its own)."""
    groups: list[Group] = []
    terms = sorted((t for t in synonyms if t in run and CJK_RUN.fullmatch(t)), key=len, reverse=True)
    for term in terms:
        if term not in run:
            continue
        before, _, after = run.partition(term)
        alternatives = [alt for word in (term, *synonyms[term]) for alt in _hanzi_alternatives(normalise(word))]
        groups += _hanzi_groups(before, {}) if before else []
        groups.append(Group(alternatives=tuple(dict.fromkeys(alternatives)), exact=tuple(_bigrams(term)) or (term,)))
        run = after
        if not run:
            return groups
    if len(run) == 1:
        return [*groups, Group(alternatives=((run,),), exact=(run,))]
    full = pinyin_tokens(run)
    for i, bigram in enumerate(_bigrams(run)):
        alternatives = [(bigram,)] + ([(full[i],)] if i < len(full) else [])
        groups.append(Group(alternatives=tuple(alternatives), exact=(bigram,)))
    return groups


def _latin_groups(word: str, synonyms: dict[str, tuple[str, ...]]) -> list[Group]:
    """A latin word: an English word (or its synonyms), pinyin bigrams, or initials in pairs."""
    extra = [(normalise(s),) for s in synonyms.get(word, ())]
    if 2 <= len(word) <= MAX_INITIALS and not VOWELS & set(word) and word.isalpha():
        pairs = [word[i:i + 2] for i in range(len(word) - 1)]
        return [Group(alternatives=tuple(dict.fromkeys(((pair,), (word,), *extra))), exact=(word,)) for pair in pairs]
    syllables = pinyin_split(word) if word.isalpha() else None
    if syllables and len(syllables) >= 2:
        pairs = [fuzzy(a) + fuzzy(b) for a, b in zip(syllables, syllables[1:], strict=False)]
        return [Group(alternatives=((pair,), (word,), *extra), exact=(word,)) for pair in pairs]
    return [Group(alternatives=((word,), *extra), exact=(word,))]


def query_groups(text: str, synonyms: dict[str, tuple[str, ...]] | None = None) -> list[Group]:
    """The groups of a query (see the module's docstring). ``synonyms`` maps a term to its synonyms."""
    synonyms = synonyms or {}
    groups: list[Group] = []
    for run in RUN.findall(normalise(text))[:12]:  # a pasted paragraph is not a query
        if CJK_RUN.fullmatch(run):
            groups += _hanzi_groups(run[:40], synonyms)
        else:
            groups += _latin_groups(run[:40], synonyms)
    return list(dict.fromkeys(groups))[:24]  # a group typed twice counts once
