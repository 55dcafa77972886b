"""The words and patterns of English news about Chinese development zones.

What :mod:`geoparks.extraction` reads names and figures by: head nouns and the
kind each says (``Industrial Park`` is an industrial_park, ``New Area`` a
new_district), words that end an organisation's name rather than a park's,
sentence openers, headline verbs, the patterns of batches ("23 projects"),
references ("the park", "the former"), money roles and bases, and countries
that host bilateral parks. Vocabulary of the genre only: no park, company or
figure of any article is named here.
"""

from __future__ import annotations

import re

# Head nouns, as lower-case word sequences, and the kind each says. The longest
# head that ends a name decides.
HEADS: dict[tuple[str, ...], str] = {}
for _kind, _spelled in {
    "industrial_park": "industrial park|science park|technology park|tech park|software park|"
    "innovation park|science and technology park|industry park|park|industrial city|"
    "science city|technology city|science and technology city|industrial estate|"
    "science and technology town|technology town|science town|industrial town|innovation town|"
    "characteristic town|robot town|"
    "industrial zone|economic zone",
    "development_zone": "development zone|development area|economic development zone|"
    "development district|"
    "economic and technological development zone|zone",
    "high_tech_zone": "high-tech zone|hi-tech zone|high-tech development zone|"
    "high-tech industrial development zone|high-tech industrial zone|high-tech park|"
    "high-technology zone|high and new technology zone",
    "cooperation_zone": "cooperation zone|cooperation industrial park|cooperative industrial park|"
    "cooperation center|cooperation centre|"
    "economic cooperation zone|cooperation area|cooperation park",
    "pilot_zone": "pilot zone|demonstration zone|experimental zone|pilot area|demonstration area|"
    "experimental area|comprehensive pilot zone",
    "free_trade_zone": "free trade zone|pilot free trade zone|bonded zone|"
    "comprehensive bonded zone|bonded port zone|bonded port area|ftz|pilot ftz|"
    "bonded area|export processing zone|bonded logistics park",
    "new_district": "new district|new area",
    "industrial_cluster": "cluster|agglomeration area",
    "project": "project|base|production base|demonstration project",
    "office": "liaison office|representative office|investment promotion bureau|"
    "investment promotion office|investment promotion center|investment promotion centre",
}.items():
    for _head in _spelled.split("|"):
        HEADS[tuple(_head.split())] = _kind
del _kind, _spelled, _head
HEAD_SIZES = sorted({len(h) for h in HEADS}, reverse=True)
HEAD_LAST = frozenset(h[-1] for h in HEADS)

# Words that end the name of an organisation, not of a place a park is.
ORGANISATIONS = frozenset(
    "committee commission command government bureau association group company co ltd "
    "corporation corp inc holding holdings fund bank university college institute academy "
    "daily news agency times post office department ministry council federation chamber club "
    "alliance society team centre center administration authority network media press "
    "party people's consortium".split()
)
# Heads that never make a record: ports, plans, agreements, events, trade areas.
NOT_RECORDS = frozenset(
    "port plan agreement initiative strategy policy programme program conference forum expo "
    "exhibition fair summit ceremony meeting festival road belt corridor".split()
)
# Capitalised words that open a sentence without being part of a name.
OPENERS = frozenset(
    "the a an this that these those its their our in on at as by for from with among after "
    "since under over up both each many some all according during while when where if but "
    "and or also then there here it they we he she meanwhile besides moreover however "
    "currently recently last next now today meanwhile previously later earlier moreover "
    "additionally thus so yet still further furthermore".split()
)
FUNCTION_WORDS = frozenset(
    "the a an of in on at to for with by from and or is are was were be been being has have "
    "had will would can could shall should may might must that which who whom whose this "
    "these those its it their they as such including than more most other also not into over "
    "under after before between among about said says within through during per via up "
    "so if but both each all any some many much very".split()
)
CONNECTORS = frozenset({"and", "of", "for", "&", "de"})
STRIP_KEY = frozenset({"the", "province", "provincial", "municipal", "municipality"})
BUILD = re.compile(
    r"\b(?:build|building|built|construct|constructing|constructed|set up|setting up|develop|"
    r"developing|establish|establishing|launch|launching|create|creating|open|opening)\s+"
    r"(?P<np>an?\s+(?P<mods>(?:[a-z][a-z-]*\s+){1,5}?)(?P<head>base|project|park)"
    r"(?:\s+(?:for|of)\s+(?P<pp>(?:[a-z][a-z-]*)(?:\s+(?!in\b|at\b|on\b|with\b|by\b|to\b|"
    r"and\b|which\b|that\b)[a-z][a-z-]*){0,3}))?)\b"
)
BATCH = re.compile(
    r"(?<![\w.,])(?:\d[\d,]*|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"dozens of|hundreds of|a number of|a batch of)\s+(?:[A-Za-z-]+\s+){0,3}?"
    r"(?:projects|enterprises|companies|firms)\b",
    re.IGNORECASE,
)
FORMER = re.compile(r"\b[Tt]he\s+(former|latter)\b")
PRONOUN = re.compile(r"\b(?:[Ii]t|[Ii]ts|[Tt]hey|[Tt]heir)\b")
REFERENCE = re.compile(
    r"\b[Tt]he\s+(?P<mods>(?:(?!(?:of|the|and|in|a|an|to|for|with|on|at|by)\s)[a-z0-9][a-z0-9.-]*\s+)"
    r"{0,4}?)(?P<head>park|zone|project|base|cluster|"
    r"district|area|city)(?:'s)?\b"
)
SUBJECT_VERB = re.compile(
    r"\s*(?:,[^,]{0,60},\s*)?(?:is|are|was|were|has|have|had|will|would|can|could|plans?|aims?|"
    r"covers?|includes?|focuses|mainly|started|starts|began|continued|became|also|currently|"
    r"held|made|saw|won|set|took|got|brought|built|led|met|gave|put|hit|rose|grew|drew|"
    r"now|firmly|successfully|officially|has|[a-z]+ed|[a-z]+s)\b"
)
PARTNERS = re.compile(  # "a cooperative project between Hezhou and the Shenzhen ... Association"
    r"\b(?:(?:cooperative|joint|cooperation)\s+\w+\s+between|jointly\s+(?:built|developed|"
    r"run|operated|established|launched)\s+by|in\s+cooperation\s+with|co-built\s+by)\s+"
    r"(?:the\s+)?(?P<sides>[A-Z][\w'’&.-]*(?:(?:\s+|,\s*(?:and\s+)?(?:the\s+)?|\s+and\s+"
    r"(?:the\s+)?)[A-Z][\w'’&.-]*|\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w'’&.-]*){0,20})"
)
ENTERPRISES = re.compile(
    r"(?:enterprises|companies|firms|projects|investors)\s*,?\s+(?:such as|including|like)\s+"
    r"(?P<list>[A-Z][^.;:()]*?)(?=,?\s+(?:to|and\s+other|signed|have|has|were|are|with|"
    r"purchased|through|etc)\b|[.;:()]|,\s*[a-z]|$)"
)
INDUSTRIES = re.compile(
    r"(?:focus(?:es|ing)?(?:\s+\w+ly)?\s+on|industries\s+includes?|industrial\s+directions\s+such\s+as|"
    r"covering)\s+(?:the\s+development\s+of\s+|the\s+)?(?P<list>[^.;:]{3,300}?)"
    r"(?=,\s+(?:with|becoming|making|which|according|and\s+(?:has|is|will))\b|[.;:]|$)"
)
STAGES = (
    (re.compile(r"put into (?:production|operation)|in operation|began operating|operating", re.I),
     "partly_operating"),
    (re.compile(r"under construction|started construction|start of (?:the )?construction|"
                r"broke ground|construction of|accelerat\w+ the construction", re.I),
     "under_construction"),
    (re.compile(r"\bplan(?:s|ned)? to build|will build|to be built|planned", re.I), "planned"),
)  # fmt: skip
FOUNDED = re.compile(
    r"establish(?:ed|ment)|founded|set up|approved|inaugurat\w+|launch(?:ed)?|unveil\w*|"
    r"started construction|start of (?:the )?construction|broke ground|groundbreaking|"
    r"chose to build|began construction|was built",
    re.IGNORECASE,
)
OUTPUT = re.compile(r"output|production value", re.I)
INVEST = re.compile(r"invest", re.I)
NOT_MONEY = re.compile(r"\btax\b|revenue|sales|\bfund\b|subsid|profit|income|turnover|export|"
                         r"\bGDP\b|added value",
                         re.I)  # fmt: skip
FLOOR = re.compile(r"construction area|floor area|building area|floor space|built-up area", re.I)
BASES = (
    ("completed", re.compile(r"complet\w*|so far|up to now|to date|accumulat\w*|actual|"
                             r"achieved|since it", re.I)),
    ("period", re.compile(r"first \w+ months|this year|last year|from january|in \d{4}|"
                          r"year-on-year|annual investment", re.I)),
    ("contracted", re.compile(r"sign\w*|contract\w*|agreed|intend\w*", re.I)),
    ("planned", re.compile(r"plan\w*|estimat\w*|expect\w*|will|proposed|target", re.I)),
    ("total", re.compile(r"total", re.I)),
)  # fmt: skip
INVESTMENT_ORDER = ("total", "planned", "period", "stated", "contracted", "completed")
TOKEN = re.compile(
    r"[A-Za-z0-9](?:(?:[A-Za-z0-9&.-]|['’](?!s\b))*[A-Za-z0-9])?|['’]s\b|[()]|[^\sA-Za-z0-9]"
)
PUBLICATION = re.compile(r"\s*(?:News|Daily|Agency|Net|Times|Post|reported|reports)\b|-based")
ROLE_AFTER = re.compile(
    r"\s*(?:\([^()]{0,40}\)\s*)?(?:(?:in|of|as)\s+(?:the\s+|its\s+)?)?(?:[a-z-]+\s+){0,2}?"
    r"(?P<role>output|tax|taxes|revenue|sales|profits?|exports?|investment)\b"
)


HEAD_WORDS = frozenset(w for h in HEADS for w in h)
GENERIC = frozenset(
    "national provincial state-level international economic technological technology development "
    "industrial industry high-tech new modern advanced comprehensive cooperative cooperation key "
    "major special main the first second third fourth fifth sixth seventh eighth ninth tenth "
    "headquarters".split()
)
FIGURE_OF = re.compile(r"[^,;]{0,60}?\s+of\s+(?:the\s+)?$")
LISTED = re.compile(r"\b(?:including|such as|like|includes|include)\b[^;.]*$")
CONTAINER = re.compile(r"\b(?:in|into|at|enter|entering|entered)\s+(?:the\s+)?$")
PERSON = re.compile(
    r"\b(?:Zhang|Wang|Li|Liu|Chen|Yang|Huang|Zhao|Wu|Zhou|Xu|Sun|Ma|Zhu|Hu|Guo|He|Lin|Gao|Luo|"
    r"Zheng|Liang|Xie|Song|Tang|Han|Feng|Deng|Cao|Peng|Zeng|Xiao|Tian|Dong|Pan|Yuan|Cai|Jiang|"
    r"Yu|Du|Ye|Cheng|Wei|Su|Lu|Ding|Ren|Shen|Yao|Qian|Fu|Mr|Ms|Mrs|Dr)\s+$"
)
IN_HOLDER = re.compile(r",?\s+(?:in|at)\s+(?:the\s+)?")
IN_PLACE = re.compile(r",?\s+(?:in|at|of)\s+(?:the\s+)?(?:city\s+of\s+)?")
OPENING_SUBJECT = re.compile(
    r"(?:The\s+)?(?:[A-Z][\w'-]*\s+){1,5}(?:has|have|is|are|was|were|will|said|says)\b"
)
ASIDE = re.compile(r"\b(?:from|to|following|than|like|after)\s+$")
MODIFIER = re.compile(
    r"\s+(?:enterprises|companies|firms|investors|businesses|residents|people|citizens|capital|"
    r"funds?|youth|students|products|goods|businessmen|partners|side)\b"
)
LOCATED = re.compile(
    r"\b(?:located|lies|lying|situated|sits|based)\s+(?:in|at)\s+(?:the\s+)?"
    r"(?:(?:[a-z-]+\s+){0,3}(?:part|area|tip|edge|center|centre|heart|middle|outskirts|suburbs?)"
    r"\s+of\s+(?:the\s+)?)?"
)
FEATURE = re.compile(
    r"\s+(?:Lake|Bay|River|Mountains?|Islands?|Peninsula|Gulf|Hills?|Valley|Port|Harbou?r)\b"
)
VERBS = frozenset(
    "launches holds builds signs opens starts sees gets wins hosts unveils becomes breaks kicks "
    "plans aims takes makes accelerates promotes drives attracts welcomes boosts celebrates "
    "marks launched held built signed opened started unveiled approved established is are was "
    "were has have will develops sees signs attracts eyes approves expands speeds targets enters "
    "creates announces releases establishes invests leads joins reports receives gains reaches "
    "records registers completes begins commences introduces".split()
)
DEMONSTRATIVE = frozenset({"this", "these", "such"})
PART_BEFORE = re.compile(
    r"\b(?:phase|stage|section|start-?up area|expansion|plot|parcel)\s+(?:of\s+)?"
    r"(?:about\s+|some\s+|around\s+|nearly\s+)?$",
    re.IGNORECASE,
)
PART_AFTER = re.compile(
    r"[\s-]*(?:start-?up|first-phase|phase|plot|site|parcel|core|expansion|section)\b", re.I
)
PAIR = re.compile(r"([A-Z][a-z]+)-([A-Z][a-z]+|ASEAN)\b")
COUNTRIES = frozenset(
    "China Sino ASEAN Malaysia Singapore Vietnam Thailand Laos Cambodia Myanmar Indonesia "
    "Philippines Brunei Kazakhstan Kyrgyzstan Uzbekistan Tajikistan Turkmenistan Mongolia Russia "
    "Pakistan India Nepal Bangladesh Belarus Germany German France French Italy Spain Britain "
    "British Netherlands Dutch Belgium Switzerland Swiss Austria Sweden Denmark Finland Norway "
    "Poland Hungary Serbia Greece Turkey Israel Egypt Ethiopia Kenya Nigeria Zambia Djibouti "
    "Saudi Arabia Oman Qatar Iran Japan Japanese Korea Korean Australia Canada Mexico Brazil "
    "Chile Peru Argentina Cuba".split()
)
NOT_LAND = re.compile(r"afforest|restor|greening|reclaim|farmland|housing|residential|planting",
                       re.I)  # fmt: skip
LEISURE = frozenset(
    "wetland forest theme amusement country geological memorial sculpture botanical zoological "
    "water safari ski golf wildlife heritage cultural tourism scenic".split()
)
ALIAS_AFTER = (
    re.compile(  # "(LNA)", '("TEDA")', "(Songshan Lake for short)", ", also known as TEDA"
        r"\s*(?:\(\s*[\"“]?(?P<short>[A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*){0,2})[\"”]?"
        r"(?:\s+for\s+short)?\s*\)|,?\s+(?:also\s+known\s+as|or\s+simply|abbreviated\s+as|"
        r"hereinafter\s+(?:referred\s+to\s+as\s+)?)(?:the\s+)?[\"“]?"
        r"(?P<also>[A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*){0,2}))"
    )
)
INDEFINITE = frozenset("a an first second third another each every one".split())
ADJECTIVES = frozenset(
    "chinese china china's foreign national international asian global local provincial "
    "municipal major key new first".split()
)
AFTER_PREPOSITION = re.compile(r"\b(?:of|from|by|with|to|in|at|on|and|for|into|than)\s+"
                                r"(?:the\s+)?$",
                                re.IGNORECASE)  # fmt: skip


def is_capitalised(word: str) -> bool:
    """Return whether a word starts with a capital (or is like "5G")."""
    return bool(word) and (
        word[0].isupper() or (word[0].isdigit() and any(c.isupper() for c in word))
    )


def chain_end(words: list[str], i: int) -> int:
    """Where a capitalised chain starting at ``i`` ends, with a lowercase tail up to a head."""
    n = len(words)
    j = i + 1
    while j < n:
        word = words[j]
        if is_capitalised(word):
            j += 1
        elif (
            word.lower() in CONNECTORS
            and j + 1 < n
            and (
                is_capitalised(words[j + 1])
                or (words[j + 1] == "the" and j + 2 < n and is_capitalised(words[j + 2]))
            )
        ):
            j += 2 if is_capitalised(words[j + 1]) else 3
        elif word == "(":
            close = j + 1
            while close < n and close - j <= 6 and words[close] != ")":
                close += 1
            if (
                close < n
                and words[close] == ")"
                and all(is_capitalised(w) for w in words[j + 1 : close])
            ):
                j = close + 1
            else:
                break
        else:
            break
    lowered = [w.lower() for w in words]
    if head_at(lowered, i, j) is None and (j >= n or words[j] not in ("'s", "’s")):
        k = j
        while k < n and k - j < 8 and re.fullmatch(r"[a-z][a-z-]*", words[k]) \
                and words[k] not in FUNCTION_WORDS:  # fmt: skip
            k += 1
            if head_at(lowered, i, k) is not None and lowered[k - 1] in HEAD_LAST:
                end = k
                while end < n and end - k < 3 and head_at(lowered, i, end + 1):
                    end += 1
                return end
    return j


def head_at(lowered: list[str], i: int, end: int) -> str | None:
    """Return the kind the words ``lowered[i:end]`` end with, or None."""
    if end - i > 2 and lowered[end - 1] == "area" and lowered[end - 2] in ("zone", "park"):
        end -= 1  # "Fuzhou Bonded Port Zone Area"
    if end > i and len(lowered[end - 1]) > 5 and lowered[end - 1].endswith("park"):
        return "industrial_park"  # "Ecopark", "Technopark"
    for size in HEAD_SIZES:
        if end - size >= i and (head := tuple(lowered[end - size : end])) in HEADS:
            kind = HEADS[head]
            words = lowered[i:end]
            if kind in ("industrial_park", "development_zone") and any(
                w in ("high-tech", "hi-tech", "high-technology") for w in words
            ):
                return "high_tech_zone"
            if kind in ("industrial_park", "development_zone") and any(
                w.startswith("cooperat") for w in words
            ):
                return "cooperation_zone"
            return kind
    return None


def words_of(name: str) -> list[str]:
    """Return the words of a name, punctuation left out."""
    return re.findall(r"[^\W_]+", name)


def name_words(name: str) -> list[str]:
    """Return the words of a name but "the", "Province", "Municipal"."""
    return [w for w in words_of(name) if w.lower() not in STRIP_KEY]


def name_key(name: str) -> frozenset[str]:
    """Return the word set names are matched by: case, "the", "Province" and FTZ folded."""
    words = (ACRONYMS.get(w.lower(), w.lower()) for w in words_of(name))
    return frozenset(w for word in words for w in word.split() if w not in STRIP_KEY)


ACRONYMS = {
    "ftz": "free trade zone",
    "etdz": "economic technological development zone",
    "sez": "special economic zone",
    "hidz": "high tech industrial development zone",
}
