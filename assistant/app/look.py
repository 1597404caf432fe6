"""How the page looks and moves: its style sheet and the few scripts it runs in the browser."""

# Highlights, links and buttons readable in light and dark themes (WCAG AA contrast: dark text
# on pale yellow 15:1, pale text on dark amber 9:1, white on the Ask button 5.2:1, the footer's
# API link 7:1 / 9:1; axe-core checks them in tests/test_accessibility.py).
CSS = """
.sources-label { font-weight: 600; margin: 10px 0 4px; }
details.source { border-left: 3px solid #b7791f; padding: 2px 10px; margin-bottom: 10px; }
details.source > summary { cursor: pointer; }
.source-meta { font-size: 0.9em; }
.date-note { font-size: 0.9em; font-style: italic; }
#chat mark { background: #fff1a8; color: #1f1f1f; }
.dark #chat mark { background: #5c4a00; color: #fff8e1; }
#chat a.cite { text-decoration: underline; font-weight: 600; }
#ask { background: #c2410c; color: #ffffff; }
#ask:hover { background: #9a3412; }
footer .show-api, footer .show-api * { color: #374151 !important; }
.dark footer .show-api, .dark footer .show-api * { color: #e5e7eb !important; }
"""

# After an answer: its question at the top of the chat, so the lead is read first (on a phone
# the chat would otherwise sit scrolled to the end of the newest answer's sources).
SHOW_NEWEST = """() => { setTimeout(() => {
  const rows = document.querySelectorAll('#chat .message-row');
  const question = rows[rows.length - 2];
  if (question) question.scrollIntoView({block: 'start'});
}, 100); }"""

# Gradio 6 marks the chat's example buttons as a list without list items (axe-core: "ARIA
# roles must contain particular children", critical); they are a group of buttons.
PAGE_JS = """() => {
  const mend = () => document.querySelectorAll('#chat .examples[role="list"]')
    .forEach((e) => { e.setAttribute('role', 'group'); e.setAttribute('aria-label', 'Examples'); });
  new MutationObserver(mend).observe(document.body,
    {childList: true, subtree: true, attributes: true, attributeFilter: ['role']});
  mend();
}"""
