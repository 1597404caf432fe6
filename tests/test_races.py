"""Same-moment uploads of one name: every upload is stored whole under the name reported."""

import threading

from browser import served

from assistant.app.chat import ChatApp
from assistant.app.uploads import store_upload
from assistant.config import Config
from assistant.qa.pipeline import Assistant, ensure_index


def _article(n: int, size: int = 200_000) -> bytes:
    sentence = f"Upload number {n} reports that the council met on day {n}. "
    return (sentence * (size // len(sentence) + 1)).encode()[:size]


def _upload_at_once(sources: list, name: str, folder) -> list:
    """store_upload of every source under one name, from one thread each, released together."""
    results: list = [None] * len(sources)
    barrier = threading.Barrier(len(sources))

    def upload(n: int) -> None:
        barrier.wait()
        results[n] = store_upload(sources[n], name, folder)

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(len(sources))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_uploads_of_one_name_lose_nothing(tmp_path):
    folder = tmp_path / "articles"
    rounds, clients = 10, 6
    for round_ in range(rounds):
        sources = []
        for n in range(clients):
            source = tmp_path / f"src-{round_}-{n}.txt"
            source.write_bytes(_article(round_ * 100 + n))
            sources.append(source)
        results = _upload_at_once(sources, f"same{round_}.txt", folder)
        names = [r.path.name for r in results]
        assert len(set(names)) == clients, names
        for n, result in enumerate(results):
            assert result.path.read_bytes() == sources[n].read_bytes()
            assert result.message.startswith(f"stored as {result.path.name}")
    assert not [p for p in folder.iterdir() if p.name.startswith(".")]  # no temporary files
    assert len(list(folder.iterdir())) == rounds * clients


def test_concurrent_uploads_through_the_gradio_api(seeds_copy, tmp_path, model, monkeypatch):
    from gradio_client import Client, handle_file

    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))

    config = Config(articles=[seeds_copy], index=tmp_path / "index")
    app = ChatApp(Assistant(ensure_index(config, model), model, config))
    clients = 3
    sources = []
    for n in range(clients):
        (tmp_path / f"c{n}").mkdir()
        source = tmp_path / f"c{n}" / "same.txt"  # one name, three contents
        source.write_bytes(_article(n, 2_000_000))
        sources.append(source)
    reports: list = [None] * clients
    with served(app.build()) as url:
        barrier = threading.Barrier(clients)

        def upload(n: int) -> None:
            client = Client(url, verbose=False)
            barrier.wait()
            reports[n] = client.predict([handle_file(str(sources[n]))], api_name="/upload")[0]

        threads = [threading.Thread(target=upload, args=(n,)) for n in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    stored = {}
    for report in reports:
        name = report.split("stored as ")[1].split()[0].rstrip(":")
        stored[name] = (seeds_copy / name).read_bytes()
    assert sorted(stored) == ["same-2.txt", "same-3.txt", "same.txt"], reports
    assert sorted(stored.values()) == sorted(s.read_bytes() for s in sources)
    # Gradio's temporary copies are removed once stored (it leaves empty files of its own).
    assert not [p for p in (tmp_path / "gradio").rglob("*") if p.is_file() and p.stat().st_size]


def test_temporary_files_of_killed_uploads_are_removed_when_stale(tmp_path):
    import os
    import time

    folder = tmp_path / "articles"
    folder.mkdir()
    stale, fresh = folder / ".upload-killed.part", folder / ".upload-running.part"
    for part in (stale, fresh):
        part.write_bytes(b"half an upload")
    two_hours_ago = time.time() - 7200
    os.utime(stale, (two_hours_ago, two_hours_ago))
    source = tmp_path / "new.txt"
    source.write_bytes(_article(1, 1000))
    assert store_upload(source, "new.txt", folder).path == folder / "new.txt"
    assert not stale.exists() and fresh.exists()  # a young one may be an upload in progress
