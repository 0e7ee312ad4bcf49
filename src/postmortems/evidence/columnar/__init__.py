"""The columnar engine: big line-based logs read and collapsed a block at a time.

Per-line Python cannot read a log at disk speed (a function call per line already costs
most of the budget), so for big plain files the work that is the same for every line runs
in C (``_scan.c``, found by ``compiled``) and vectorised in polars (Rust regex, hash
group-by) over blocks of a few MB:

- ``blocks``: the file as blocks of whole lines, cut where a new record certainly starts, so
  memory stays flat whatever the file size;
- a *plan* per source (``syslog_plan``, ``generic_plan``) pulls the header fields out of
  every line (a C scan, or polars where that was not built), marks the lines it can vouch
  for (``simple``: a one-line record
  whose fields the regex reads exactly as the source's own loop would) and hands every other
  stretch (continuation lines, stack traces, odd or non-ASCII lines) to the source's own
  Python loop, so the result is the same;
- ``shapes``: the template and level of each message, worked out in Python once per
  distinct *coarse* form (tokens holding digits replaced by ``#``), which ``forms`` computes
  and numbers in C, or in Rust through polars where that was not built;
- ``bursts``: grouping by (program, template) into bursts split by the collapse gap, with
  counts, first and last time, hosts, most severe level and its first line, and per-minute
  counts per level; the few thousand groups go to ``Collapser`` as they would have grown
  line by line.

polars is imported only here, and only on the gather path of a big file.
"""
