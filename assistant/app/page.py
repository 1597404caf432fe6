"""The chat's page: the chat (welcome and examples while empty) on the left; what is loaded,
the upload and the article library on the right. Each answer carries its own sources."""

from __future__ import annotations

import gradio as gr

from assistant.app import answerers, library, render
from assistant.app.look import SHOW_NEWEST
from assistant.app.uploads import UPLOAD_SUFFIXES

EXAMPLES = [
    "How many North Korean soldiers are reported near Kursk?",
    "Wie viele nordkoreanische Soldaten sind bei Kursk?",
    "What is the range of the Koksan howitzers?",
    "Wie viele Haubitzen hat Nordkorea nach Russland geliefert?",
    "What did ISW analyst George Barros say about the Russian advance?",
]
SAVED_MESSAGES = 40  # the newest messages kept in the browser (20 answers with their sources)


def build(app) -> gr.Blocks:
    """The page of app (a ChatApp, whose handlers its events call)."""
    index = app.assistant.current_index()
    with gr.Blocks(title="News article assistant") as page:
        gr.Markdown("# News article assistant\nAnswers quote the articles verbatim, cited.")
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(
                    label="Chat",
                    height=640,
                    elem_id="chat",
                    placeholder=render.welcome_markdown(index),
                    examples=[{"text": q} for q in EXAMPLES],
                    autoscroll=False,  # SHOW_NEWEST scrolls to the newest question
                    buttons=["copy"],
                    sanitize_html=True,
                )
                box = gr.Textbox(
                    label="Question",
                    placeholder="Ask about the articles, in English or German",
                    elem_id="question",
                    autofocus=True,
                )
                with gr.Row():
                    send = gr.Button("Ask", variant="primary", elem_id="ask")
                    clear = gr.Button("Clear chat", elem_id="clear")
                answerer = gr.Markdown(answerers.active(None, app.answerer()), elem_id="answerer")
            with gr.Column(scale=2):
                status = gr.Markdown(app.status(), elem_id="status")  # then the Timer
                with gr.Accordion("Add articles", open=False):
                    files = gr.File(
                        # Any file is taken, and refused with its reason in the report (a
                        # browser-side type filter only flashed a toast, then "Error").
                        label=f"Articles ({', '.join(UPLOAD_SUFFIXES)})",
                        file_count="multiple",
                        type="filepath",
                        elem_id="upload",
                    )
                    rescan = gr.Button("Re-scan articles folder", elem_id="rescan")
                    cancel = gr.Button("Cancel background update", elem_id="cancel-update")
                    report = gr.Markdown(elem_id="update-report")
                with gr.Accordion("Answers by an LLM (optional)", open=False, elem_id="llm"):
                    llm_url = gr.Textbox(
                        label="OpenAI-compatible base URL",
                        placeholder="http://localhost:11434/v1",
                        elem_id="llm-url",
                    )
                    llm_model = gr.Textbox(
                        label="Model", placeholder="llama3.1", elem_id="llm-model"
                    )
                    llm_key = gr.Textbox(
                        label="API key (only if the server needs one)",
                        type="password",
                        elem_id="llm-key",
                    )
                    with gr.Row():
                        use = gr.Button("Test and use", elem_id="llm-use")
                        quotes = gr.Button("Quotes only", elem_id="llm-off")
                    llm_said = gr.Markdown(elem_id="llm-report")
                with gr.Accordion("Article library", open=False, elem_id="library"):
                    search = gr.Textbox(label="Search titles", elem_id="library-search")
                    count = gr.Markdown(elem_id="library-count")
                    table = gr.Dataframe(
                        headers=library.COLUMNS,
                        interactive=False,
                        wrap=True,
                        elem_id="library-table",
                    )
                    chosen = gr.Textbox(
                        label="Article to remove (click its row)", elem_id="library-chosen"
                    )
                    remove = gr.Button("Remove this article", elem_id="library-remove")
                    removed = gr.Markdown(elem_id="library-report")
        # The conversation survives a reload: kept in the browser's storage, not the server's.
        saved = gr.BrowserState([], storage_key="news-assistant-chat")
        session = gr.State(None)  # the LLM set in the page for this browser session, if any

        def ask(question: str, history: list[dict] | None, llm: dict | None):
            yield from answerers.session_turns(app, question, history, llm)

        def ask_example(history: list[dict] | None, llm: dict | None, event: gr.SelectData):
            yield from answerers.session_turns(app, event.value["text"], history, llm)

        def use_llm(url: str, model: str, key: str, llm: dict | None):
            new, said = answerers.tested(url, model, key)
            kept = new or llm  # an endpoint that fails its test changes nothing
            return kept, said, answerers.active(kept, app.answerer())

        outputs = [chat, box]
        for asked in (
            send.click(ask, [box, chat, session], outputs, api_name="chat"),
            box.submit(ask, [box, chat, session], outputs, api_name=False),
            chat.example_select(ask_example, [chat, session], outputs, api_name=False),
        ):
            asked.then(remembered, chat, saved, api_name=False).then(
                None, js=SHOW_NEWEST, api_name=False
            )
        page.load(lambda history: history or [], saved, chat, api_name=False)
        clear.click(lambda: ([], "", []), None, [chat, box, saved], api_name=False)
        chat.clear(lambda: [], None, saved, api_name=False)  # the chat's own trash icon
        # Progress shows on the upload's own report, not over the status; the files, once
        # handled (each one's fate is in the report), leave the upload box.
        files.upload(
            app.upload, [files], [report, status], api_name="upload", show_progress_on=report
        ).then(lambda: None, None, files, api_name=False)
        rescan.click(app.rescan, None, [report, status], api_name="rescan", show_progress_on=report)
        cancel.click(app.cancel_update, None, status, api_name="cancel_update")
        use.click(use_llm, [llm_url, llm_model, llm_key, session], [session, llm_said, answerer],
                  api_name=False)  # fmt: skip
        quotes.click(
            lambda: (answerers.QUOTES_ONLY, "Answers from the quotes alone.",
                     answerers.active(answerers.QUOTES_ONLY, "")),
            None, [session, llm_said, answerer], api_name=False,
        )  # fmt: skip
        search.change(app.library, search, [table, count], api_name=False)
        page.load(app.library, search, [table, count], api_name=False)
        table.select(chosen_article, table, chosen, api_name=False)
        remove.click(
            app.remove_article, [chosen, search], [removed, status, table, count],
            api_name="remove",
        )  # fmt: skip
        # Updates (serve's, uploads', the watcher's) show their progress here every 2 s.
        gr.Timer(2).tick(app.status, None, status, api_name=False, show_progress="hidden")
    return page


def chosen_article(table, event: gr.SelectData) -> str:
    """The article id of the library row clicked."""
    row = event.index[0]
    return str(table.iloc[row][library.COLUMNS[2]]) if hasattr(table, "iloc") else ""


def remembered(history: list[dict] | None) -> list[dict]:
    """What the browser keeps of the conversation: its newest SAVED_MESSAGES messages."""
    return list(history or [])[-SAVED_MESSAGES:]
