"""The inline scripts a built page may carry: the theme's own, recognised, and this plugin's.

The Content-Security-Policy hashes exactly these; any other inline script fails the build. The
theme's scripts are listed as its templates write them (``partials/javascripts/*.html``), a
Jinja expression (``{{ base_url }}``) standing for text without quotes or markup. They were taken
from the versions in :data:`MATERIAL_VERSIONS`, the range ``pyproject.toml`` pins; a test checks
them against the installed theme, so a new theme version with other scripts fails that test (and
any build) instead of switching protections off.
"""

from __future__ import annotations

import functools
import re

__all__ = ["MATERIAL_SCRIPTS", "MATERIAL_VERSIONS", "is_theme_script"]

MATERIAL_VERSIONS = ">=9.8.2,<9.9"

#: (template, script) for every inline script of mkdocs-material in :data:`MATERIAL_VERSIONS`.
MATERIAL_SCRIPTS: tuple[tuple[str, str], ...] = (
    (
        "partials/javascripts/announce.html",
        'var el=document.querySelector("[data-md-component=announce]");if(el){var content=el.querySelector(".md-typeset");__md_hash(content.innerHTML)===__md_get("__announce")&&(el.hidden=!0)}',
    ),
    (
        "partials/javascripts/base.html",
        '__md_scope=new URL("{{ config.extra.scope | d(base_url) }}",location),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}',
    ),
    (
        "partials/javascripts/consent.html",
        'var consent=__md_get("__consent");if(consent)for(var input of document.forms.consent.elements)input.name&&(input.checked=consent[input.name]||!1);else"file:"!==location.protocol&&setTimeout((function(){document.querySelector("[data-md-component=consent]").hidden=!1}),250);var form=document.forms.consent;for(var action of["submit","reset"])form.addEventListener(action,(function(e){if(e.preventDefault(),"reset"===e.type)for(var n of document.forms.consent.elements)n.name&&(n.checked=!1);__md_set("__consent",Object.fromEntries(Array.from(new FormData(form).keys()).map((function(e){return[e,!0]})))),location.hash="",location.reload()}))',
    ),
    (
        "partials/javascripts/content.html",
        'var tabs=__md_get("__tabs");if(Array.isArray(tabs))e:for(var set of document.querySelectorAll(".tabbed-set")){var labels=set.querySelector(".tabbed-labels");for(var tab of tabs)for(var label of labels.getElementsByTagName("label"))if(label.innerText.trim()===tab){var input=document.getElementById(label.htmlFor);input.checked=!0;continue e}}',
    ),
    (
        "partials/javascripts/content.html",
        'var target=document.getElementById(location.hash.slice(1));target&&target.name&&(target.checked=target.name.startsWith("__tabbed_"))',
    ),
    (
        "partials/javascripts/outdated.html",
        'var el=document.querySelector("[data-md-component=outdated]"),base=new URL("{{ base_url }}"),outdated=__md_get("__outdated",sessionStorage,base);!0===outdated&&el&&(el.hidden=!1)',
    ),
    (
        "partials/javascripts/palette.html",
        'var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media=\'(prefers-color-scheme: light)\']":"[data-md-color-media=\'(prefers-color-scheme: dark)\']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}',
    ),
)
_EXPRESSION = re.compile(r"\{\{.*?\}\}")
_VALUE = r"[^\"'<>\\]*"  # what a Jinja expression inside a JavaScript string may become


@functools.cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    return tuple(
        re.compile(_VALUE.join(re.escape(part) for part in _EXPRESSION.split(script)), re.DOTALL)
        for _, script in MATERIAL_SCRIPTS
    )


def is_theme_script(body: str) -> bool:
    """Whether ``body`` is one of the theme's inline scripts, as its templates write it."""
    return any(pattern.fullmatch(body) for pattern in _patterns())
