"""Every tuned constant, with what it trades and how it was measured.

Quality numbers come from `.venv/bin/python benchmarks/quality.py` (XQuAD-de dev, the seeds
questions, the seeds among the 1,028 gnad articles; benchmarks/results/quality.txt) unless a
line names another benchmark. "Heuristic" marks a value set by reading real articles and
pinned by tests, not fitted: change it only with the quality benchmark side by side.
Limits that are not tuned (file sizes, timeouts) are in assistant/config.py.
"""

# -- Chunking and embedding (assistant/ingest/chunking.py, assistant/indexing/) ------------
# One or two sentences per chunk: on the 120 XQuAD German paragraphs the best sentence-level
# vector found the right paragraph for 0.90 of English questions (0.95 German) against 0.86
# (0.92) for whole-paragraph vectors, at lower embedding cost (docs/tuning.md).
CHUNK_SIZE = 300  # characters
CHUNK_OVERLAP = 0  # sentence chunks need no overlap; every overlap is paid in embedding time
# A chunk without a sentence end shorter than this (title, caption, "Stand:" line) is joined to
# the chunk after it. Heuristic.
HEADING_CHARS = 200
EMBED_BATCH = 32  # chunks per progress report while indexing; the engine's rate is the same
# An update keeps the vectors it has computed on disk at least this often (indexing/resume.py):
# a killed build loses at most this much embedding. Not tuned: each write is one small file of
# what is new (~1,500 vectors, 2.3 MB, at the onnx engine's rate here), so cheaper is pointless.
RESUME_SECONDS = 30.0
# An updater writes its progress into the index's lock file at most this often; a second
# updater waiting for it logs what it waits for every ten times this. Not tuned: often enough
# for a person watching, rare enough to cost nothing (one small write).
LOCK_REPORT_SECONDS = 1.0
# An index holds at most this many segments (indexing/segments.py, compaction.py): each update
# adds one, and the update that makes one too many merges the newest ones (all of them once
# they outweigh the oldest). Fewer merges mean cheaper updates; more segments mean one more BM25
# per question word and one more folder per load. Not tuned: Lucene's merge factor (10), and a
# question's BM25 at 10 segments of 100k chunks costs what one segment of 1M does.
MAX_SEGMENTS = 10
# Article texts a loaded index keeps in memory (indexing/tables.py); the others stay on disk
# until a question needs them (one read of one line, ~30 us). Not tuned: a question reads the
# articles of its 20-60 best chunks, several times each, so a few hundred cover the questions of
# a conversation; 512 gnad-sized texts are ~3 MB.
TEXTS_KEPT = 512
READ_REPORT_ARTICLES = 500  # articles parsed between progress reports while reading a feed
ENCODE_BATCH = 16  # texts per model call: the bundled engine is linear in tokens (1-640 alike)
# CPUs (and threads) of one Ray actor when a cluster has no GPU (indexing/ray_embedding.py):
# each actor holds its own model (~0.5 GB in ONNX Runtime), so fewer, wider actors save memory;
# 2 as a local build on this 2-core machine. Not tuned on a real cluster (none here).
RAY_ACTOR_CPUS = 2
# The bundled engine's threads (assistant/indexing/threads.py). Measured on 2 cores that other
# users' jobs kept at a load of 6-9, each setting in a fresh process, alone and beside one busy
# process (benchmarks/embed_settings.py, benchmarks/results/embed-settings.txt). Idle threads
# sleep at once instead of spinning 300,000 times: with spinning threads a question's embedding
# took 0.5-2.4 s beside the busy process (2 threads) against 30-85 ms, and passages ran at
# 1.8-2.6 chunks/s against 3.7-5.3. With sleeping threads, questions and builds alike run on
# every usable core (threads.py): one thread per question was no faster alone (20-30 ms
# against 25-43) or beside one busy process (49-84 against 48-85), and 2-4x slower at load 8
# (100-136 ms against 30-48); for passages one thread made 2.0-3.2 chunks/s beside the busy
# process, two 3.7-5.3. Set at package import (assistant/__init__.py), before torch's and
# faiss's libgomp load too: set only before the model, their spinning threads made warm
# questions 4.7-7.8 s instead of 0.5 s (benchmarks/results/embed.txt).
WAIT_POLICY = "passive"

# -- Lexical search (assistant/indexing/lexical.py) ------------------------------------------
# German-aware BM25 tokens. Heuristic, measured through LEXICAL_WEIGHT below.
STEM_MIN_CHARS = 6  # only words of this length or more lose an inflection suffix ...
STEM_KEEP_CHARS = 4  # ... and keep at least this many letters
COMPOUND_MIN_CHARS = 8  # a stem this long also indexes its head ("artilleriegeschutz")
COMPOUND_HEAD_CHARS = 6  # ... as its last letters ("~schutz"), so compounds meet their head

# -- Retrieval (assistant/qa/retrieval.py) ----------------------------------------------------
# BM25 share (0..1, scaled by the best chunk) added to the cosine. XQuAD-de dev English
# questions, recall@1 / answer in first quote / false abstain: 0.03 gives 0.934/0.775/0.057,
# 0.05 gives 0.932/0.790/0.022, 0.08 gives 0.908/0.767/0.005; above 0.03 unanswerable seeds
# questions among gnad stop abstaining (English: 0.31 at 0.03, 0.08 at 0.05). tune.py.
LEXICAL_WEIGHT = 0.03
TOP_K = 50  # chunks fetched per question, widened until MIN_ARTICLES articles are listed
MIN_ARTICLES = 10  # `retrieved` lists at least this many articles (docs/contracts.md)

# -- Evidence (assistant/qa/evidence.py, keys.py, selection.py) -------------------------------
TOP_CHUNKS = 6  # chunks whose sentences become candidate quotes; the rest rarely answer
MAX_QUOTE_CHARS = 400  # a longer sentence is cut to a window around its key span
MIN_EVIDENCE_CHARS = 25  # shorter sentences are fragments (datelines, captions). Heuristic.
# Bonuses added to a candidate's chunk score: the share of the question's terms it contains,
# and having a key span of the asked kind. They reorder quotes of one chunk and near-ties
# between chunks, never a clear retrieval winner. Heuristic, pinned by quality.py.
OVERLAP_BONUS = 0.02
KEY_BONUS = 0.02
STEM_PREFIX = 5  # words sharing this many first letters count as one (Soldaten, Soldat)
# Of several key spans in the chosen quotes, the one whose clause is nearest the question in
# meaning plus this weight times the share of the question's words in that clause. Measured on
# XQuAD-de dev's keyed questions (who/when/where/how many), answer in the lead, tuned on the
# paragraphs of half 0 and checked on half 1 (benchmarks/key_terms.py, results/key-terms.txt):
# 0 → 0.2 gives half 0 en 0.558 → 0.583, de 0.661 → 0.670; half 1 en 0.529 → 0.549, de
# 0.580 → 0.591; seeds among gnad unchanged. 0.2 is the smallest weight of the plateau.
KEY_TERMS_WEIGHT = 0.2
# A quote with more spans of the asked kind than this leads as itself, not with one of them:
# among many figures or names the nearest clause is often the wrong one, and a wrong figure in
# the lead is worse than a quote to read. Measured like KEY_TERMS_WEIGHT (key_terms.py
# --spans-max, results/key-spans.txt): off → 2 gives half 0 en 0.625 → 0.725, de 0.697 → 0.835;
# half 1 en 0.559 → 0.676, de 0.602 → 0.727. 1 is higher on XQuAD but costs the seeds among
# gnad 2 of 13 English leads (the Kursk quote's two figures), so 2.
KEY_SPANS_MAX = 2
# For who and when questions, one: of two names or dates in a quote ("Jared Allen … sowie …
# Kony Ealy, der 5 Sacks …"; "1817 gegründet … im April 1991 … wiederhergestellt") the nearest
# clause is the wrong one as often as not. key_terms.py --name-spans-max 2 1 (key-spans.txt):
# tuned on half 0 en 0.758 → 0.775, de 0.835 → 0.862; checked on half 1 en 0.686 → 0.696, de
# 0.716 → 0.716; seeds among gnad unchanged. Places keep 2 ("Ljubimowka … Russkoje Poretschnoje"
# in one quote of the seeds: at 1 the lead lost the second).
NAME_SPANS_MAX = 1
KEY_WORDS_BEFORE = 2  # words before a key span that tell what it counts ("sollen in knapp 50")
# A nation's adjective and its country share this many first letters, where STEM_PREFIX is too
# many: "russisch" and "Russland", "französisch" and "Frankreich", "chinesisch" and "China".
# Compared only with the nations a counting question names (qa/figures.py). Heuristic.
NATION_PREFIX = 4

# -- Stated (assistant/qa/stated.py) -------------------------------------------------------
# A question word that begins or ends a longer quote word counts as stated from this length on
# ("raketenwerfer" in "Mehrfachraketenwerfer", "jahr" in "Jahresbeginn"); a shorter one
# meets too many words by chance.
COMPOUND_PART_CHARS = 4
# Evidence this far above the abstention threshold is taken as stating what is asked even when
# a question word is missing from its article: word tests cannot see paraphrases ("fumbled"
# for "verlor den Ball"). Without this bound 64% of answerable XQuAD-de dev questions would be
# "not stated"; at 0.02, 4.6% (en 6.5%, de 2.7%); at 0.03, 7.5%; at 0.05, 15%. 0.02 keeps the
# false "not stated" near 5% (docs/benchmarks.md, "Stated, not just on topic").
UNSTATED_MARGIN = 0.02

# Quotes this close to the best one are reordered by their score plus STATED_WEIGHT times the
# share of the question's asked words each states (stated.stated_first): on meaning they tie,
# and the words tell which says what is asked. XQuAD-de dev answerable questions, answer in the
# first candidate (before abstention), tuned on the paragraphs of half 0 and checked on half 1:
# off gives en 0.828 / 0.772, de 0.871 / 0.801; 0.01 and 0.05 give en 0.843 / 0.785, de 0.874
# / 0.811 (0.0075-0.015 × 0.03-0.12 swept). After abstention and keys (quality.py): XQuAD
# answer in lead en 0.733 → 0.733, de 0.774 → 0.780; seeds among gnad unanswerable questions
# leading with a key 0.115 → 0.038; close set 0.403 → 0.419. Not for who/when/where questions
# (XQuAD who leads 0.659 → 0.643 with them).
STATED_NEAR = 0.01
STATED_WEIGHT = 0.05
# The nation of a role ("der russische Botschafter", "Präsident Südkoreas") stands this many words
# from it at most; further away it is another's ("Putin … in der Ukraine"). Heuristic.
ROLE_NATION_WORDS = 5

# -- Answer (assistant/qa/answer.py) ----------------------------------------------------------
MAX_QUOTES = 3  # quotes shown per answer
# Quotes within this score of the best are shown with it: two sentences that answer alike.
QUOTE_MARGIN = 0.04
# Another article's quote whose figure counts what is asked may be this far behind, so that
# articles that disagree are both shown ("über 10.000 … Kämpfer" and "bis zu 12.000 Mann").
OTHER_COUNT_MARGIN = 0.06

# -- Abstention (assistant/qa/abstention.py, assistant/indexing/background.py) ---------------
# The best evidence must beat the question's similarity to ordinary news by a margin; for a
# typical question (best chunk 0.85, 0.05 above its 10th) that margin is MIN_MARGIN. 0.033 is
# where ~5% of answerable XQuAD questions abstain. benchmarks/abstention.py: unanswerable /
# answerable abstain, XQuAD hidden 0.61/0.05, seeds 0.46/0.00, seeds among gnad 0.42/0.02.
MIN_MARGIN = 0.033
BACKGROUND_NEIGHBOURS = 5  # the question's similarity to news = mean of its 5 nearest
PEAK_RANK = 10  # the best chunk is compared with the chunk of this rank
TYPICAL_TOP, TYPICAL_GAP = 0.85, 0.05  # where the required margin is exactly MIN_MARGIN
# Logistic fit on 300 XQuAD-de dev questions, each asked with its paragraph shown and hidden:
TOP_WEIGHT = 0.32  # a closer best chunk needs more margin (topic similarity is not an answer)
GAP_WEIGHT = 1.3  # a best chunk that stands out from the 10th needs less ...
MAX_RELIEF = 0.008  # ... but at most this much less: off-topic questions stay abstained
# A German question whose words are missing from the best evidence's article needs more
# margin (grid on 250 German XQuAD questions; English ones cannot be compared word for word).
TYPICAL_COVERAGE = 0.7  # share of the question's content words found in the article
COVERAGE_WEIGHT = 0.08
# An English question meets German text at a lower cosine than a German one; where the best
# quote states (through the dictionary, as for "not stated") at least STATED_SHARE of its two or
# more asked words, it needs STATED_RELIEF less margin. XQuAD-de dev English questions below
# the threshold (36 of 632): 7 rise above it, 5 with the answer in the quote; asked again with
# their own paragraph hidden, 3 of the 223 then below it do; of the unanswerable seeds-among-gnad
# and close-set questions, none (quality.py; docs/benchmarks.md, "Stated, not just on topic").
STATED_SHARE = 0.75
STATED_RELIEF = 0.02

# -- Follow-ups (assistant/qa/conversation.py) -----------------------------------------------
# Earlier turns a follow-up is searched with: its full question and the latest two.
# benchmarks/followups.py (its chains have at most 3 turns).
MAX_CHAIN = 3
FOLLOW_UP_MAX_WORDS = 6  # a question this short with a pronoun leans on the turn before

# -- Metadata (assistant/ingest/metadata.py). Heuristics, read off real news pages. ---------
HEADER_LINES = 12  # a "Stand:" line and a title are looked for in the first lines
BYLINE_LINES = 8  # a "Von …" line is looked for in the first lines
MAX_TITLE_CHARS = 150  # a first line this short without a full stop is a headline
TITLE_CUT_CHARS = 100  # otherwise the title is the first words up to this length
MAX_BYLINE_CHARS = 60  # a longer "Von …" line is a sentence, not a byline
MAX_SIGNATURE_CHARS = 40  # a bare name as the last line signs the article

# -- Vector search at size (assistant/indexing/search.py) -------------------------------------
# benchmarks/ann.py, benchmarks/results/ann.txt: real gnad chunk vectors (12k), "real-like"
# ones (real + noise shaped like the data, 100k and 1M) and random ones, 300 real questions,
# one query at a time, k=50, on 2 cores shared with a test suite (load 3-6: latencies vary 2-5x).
# A segment below this many rows is searched exactly over its mmap: at 20k rows that is ~2-5 ms,
# and ten such segments (MAX_SEGMENTS) ~200k rows, 20-50 ms here; a "pq" build costs ~4 s of
# training at any size (plus ~25 s a million rows of encoding), wasted on small segments.
SEARCH_FLAT_MAX_ROWS = 20_000
# Above: FAISS fast-scan PQ codes, 192 sub-vectors x 4 bits = 96 B a row (92 MiB at 1M, beside
# the 1.5 GB mmap), every code scanned, the best SEARCH_PQ_CANDIDATES rescored exactly from the
# mmap. At 1M real-like: recall@10 0.982 / 0.996 / 0.999 with 1,000 / 2,000 / 4,000
# candidates, p50 25 / 27 / 30 ms against 483 ms for the exact scan under the same load, 18 s
# to build; against 0.936 for IVF probing half its lists (100k) and 0.955 for HNSW (M 32,
# efSearch 512, 100k, a 4-7 min build).
SEARCH_ANN_KIND = "pq"
SEARCH_PQ_CODE = "PQ192x4fs"  # PQ96x4fs (48 B a row): recall 0.95 at 3,000 candidates (100k)
SEARCH_PQ_CANDIDATES = 2_000  # rescoring reads 3 MB of vectors.npy; 1,000: 0.982 at 1M
# FAISS's fast-scan kernel for a query: 15 returns what the default (0) does, but its cost does
# not grow with the candidates (100k rows, 2,000 candidates: 2.4 ms against 15.8 ms).
SEARCH_PQ_IMPLEM = 15
SEARCH_TRAIN_ROWS = 20_000  # rows a structure is trained on (PQ's k-means samples 4,096)
SEARCH_BUILD_BLOCK = 65_536  # rows encoded at a time: the mmap is never copied whole
# The structures measured against "pq", kept for benchmarks/ann.py (kind forced by name):
SEARCH_REFINE = 4  # hnsw, sq8, ivf: k x this many candidates rescored exactly
# hnsw (IndexHNSWSQ 8-bit): 12k real rows recall@10 0.967/0.980/0.995 at efSearch 128/256/512,
# 6-9 s build; 100k real-like 0.858/0.892/0.955, 235-430 s build: too slow to merge 1M here.
SEARCH_HNSW_M = 32
SEARCH_HNSW_EF_BUILD = 64
SEARCH_HNSW_EF_SEARCH = 256
# ivf (IVF-SQ8, rows/1,000 lists): 100k real-like recall@10 0.44/0.79/0.94 probing 1/16, 1/4,
# 1/2 of the lists. Questions ("query: ") sit apart from the passages they match, so the nearest
# centroids miss their neighbours; at half the lists it costs half a flat scan.
SEARCH_IVF_ROWS_PER_LIST = 1_000
SEARCH_IVF_NPROBE = 64
