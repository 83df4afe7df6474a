"""Untrusted text (scraped titles, names a user typed) shown through Streamlit's Markdown.

st.success/st.error/st.markdown render Markdown: a title like `[클릭](javascript:…)` becomes a link,
`![x](http://…)` loads a remote image, `:red[…]` colours and `$…$` typesets. `escape` makes each of
those literal and leaves ordinary sentences as they are ("저장했습니다: 에이모." stays readable).
"""
from __future__ import annotations

import re

_INLINE = re.compile(r"([\\`*_\[\]<>$~|])")
_COLON = re.compile(r":(?=\S)")  # http://…, :red[…], :emoji: — not "…했습니다: 이름"
_LINE_START = re.compile(r"^(\s*)([#>+=-]|\d+[.)])", re.MULTILINE)


def escape(text: object) -> str:
    """The text with every Markdown, HTML, directive and math control backslash-escaped."""
    out = _INLINE.sub(r"\\\1", str(text))
    out = _COLON.sub(r"\\:", out)
    out = _LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), out)
    return out.replace("\n", "  \n")
