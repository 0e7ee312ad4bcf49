"""GitHub webhooks: ``deployment``, ``deployment_status`` and ``push``.

- ``deployment`` → a DEPLOY event at the deployment's ``created_at`` (state "created").
- ``deployment_status`` → a DEPLOY event at the status's ``created_at`` with its state
  (success, failure, error, in_progress, queued, pending, inactive).
- ``push`` → one COMMIT event per commit (``commits[]`` and ``head_commit``, each once) at
  the commit's ``timestamp``. A push without commits (a branch or tag created or deleted)
  is one CHANGE event at the repository's ``pushed_at``.

``attrs`` carry environment, sha, ref and state, plus the repository's full name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from postmortems.evidence.events import Event, EventKind, Level
from postmortems.evidence.redact import shorten
from postmortems.evidence.sources import _payload as payload
from postmortems.evidence.sources.base import ReadOptions, ReadStats

_FAILED_STATES = frozenset({"failure", "error"})


def _is_deployment(document: object) -> bool:
    deployment = payload.dig(document, "deployment")
    return isinstance(deployment, dict) and "sha" in deployment and "environment" in deployment


def _is_push(document: object) -> bool:
    return isinstance(document, dict) and {"ref", "before", "after", "commits"} <= document.keys()


def recognises(document: object) -> bool:
    return _is_deployment(document) or _is_push(document)


def _login(user: object) -> str | None:
    return payload.as_str(payload.dig(user, "login")) or payload.as_str(payload.dig(user, "name"))


def _short_ref(ref: str | None) -> str | None:
    if ref is None:
        return None
    for prefix in ("refs/heads/", "refs/tags/"):
        if ref.startswith(prefix):
            return ref.removeprefix(prefix)
    return ref


def _deploy_events(document: dict[str, Any], where: str, opts: ReadOptions) -> list[Event]:
    deployment = payload.as_dict(document.get("deployment"))
    status = payload.as_dict(document.get("deployment_status"))
    sha = payload.as_str(deployment.get("sha"))
    ref = payload.as_str(deployment.get("ref"))
    environment = payload.as_str(status.get("environment")) or payload.as_str(
        deployment.get("environment")
    )
    if status:
        state = payload.as_str(status.get("state")) or "unknown"
        time = payload.parse_time(status.get("created_at"), opts.default_tz) or payload.parse_time(
            status.get("updated_at"), opts.default_tz
        )
        actor = _login(status.get("creator")) or _login(deployment.get("creator"))
    else:
        state = "created"
        time = payload.parse_time(deployment.get("created_at"), opts.default_tz)
        actor = _login(deployment.get("creator"))
    if time is None:
        return []
    what = f"{ref}@{sha[:7]}" if ref and sha else ref or (sha[:7] if sha else "?")
    text = f"Deployment of {what} to {environment or 'an environment'}: {state}"
    description = payload.as_str(status.get("description")) or payload.as_str(
        deployment.get("description")
    )
    if description:
        text += f" ({description})"
    repository = payload.as_str(payload.dig(document, "repository", "full_name"))
    return [
        Event(
            time=time,
            source="github",
            kind=EventKind.DEPLOY,
            text=text,
            level=Level.ERROR if state in _FAILED_STATES else Level.INFO,
            service=repository,
            actor=actor,
            ref=where,
            attrs={
                "environment": environment,
                "sha": sha,
                "ref": ref,
                "state": state,
                "deployment_id": deployment.get("id"),
                "task": payload.as_str(deployment.get("task")),
                "repository": repository,
            },
        )
    ]


def _push_events(document: dict[str, Any], where: str, opts: ReadOptions) -> list[Event]:
    ref = payload.as_str(document.get("ref"))
    branch = _short_ref(ref)
    repository = payload.as_str(payload.dig(document, "repository", "full_name"))
    pusher = _login(document.get("pusher")) or _login(document.get("sender"))
    commits = [c for c in payload.as_list(document.get("commits")) if isinstance(c, dict)]
    head = document.get("head_commit")
    if isinstance(head, dict):
        commits.append(head)
    events: list[Event] = []
    seen: set[str] = set()
    for commit in commits:
        sha = payload.as_str(commit.get("id")) or ""
        time = payload.parse_time(commit.get("timestamp"), opts.default_tz)
        if sha in seen or time is None:
            continue
        seen.add(sha)
        subject = (payload.as_str(commit.get("message")) or "").splitlines()[0:1]
        author = _login(commit.get("author")) or pusher
        events.append(
            Event(
                time=time,
                source="github",
                kind=EventKind.COMMIT,
                text=f"{sha[:7]} {subject[0] if subject else ''}".strip()
                + f" (pushed to {branch})",
                level=Level.INFO,
                service=repository,
                actor=author,
                ref=where,
                attrs={
                    "sha": sha,
                    "ref": ref,
                    "subject": subject[0] if subject else None,
                    "author": author,
                    "pusher": pusher,
                    "repository": repository,
                },
            )
        )
    if events:
        return events
    time = payload.parse_time(payload.dig(document, "repository", "pushed_at"), opts.default_tz)
    if time is None:
        return []
    kind_of_ref = "tag" if (ref or "").startswith("refs/tags/") else "branch"
    action = (
        "deleted" if document.get("deleted") else "created" if document.get("created") else "pushed"
    )
    text = f"{kind_of_ref.capitalize()} {branch} {action}" + (f" by {pusher}" if pusher else "")
    return [
        Event(
            time=time,
            source="github",
            kind=EventKind.CHANGE,
            text=text,
            level=Level.INFO,
            service=repository,
            actor=pusher,
            ref=where,
            attrs={
                "ref": ref,
                "sha": payload.as_str(document.get("after")),
                "before": payload.as_str(document.get("before")),
                "state": action,
                "repository": repository,
            },
        )
    ]


class GitHubSource:
    name = "github"
    description = "GitHub deployment, deployment_status and push webhooks"

    def sniff(self, head: bytes, path: str) -> float:
        return payload.sniff_json(
            head,
            recognises,
            payload.keys_include(
                {"deployment", "sha", "environment"}, {"ref", "before", "after", "commits"}
            ),
        )

    def read(self, path: str, opts: ReadOptions, stats: ReadStats) -> Iterator[Event]:
        events: list[Event] = []
        for line, document in payload.read_documents(path, stats):
            where = payload.ref(path, line)
            if _is_deployment(document):
                found = _deploy_events(document, where, opts)
            elif _is_push(document):
                found = _push_events(document, where, opts)
            else:
                stats.unparsed(line, f"not a GitHub webhook: {shorten(str(document), 160)}")
                continue
            if not found:
                stats.unparsed(line, "GitHub webhook without a time")
            events.extend(found)
        yield from payload.emit(events, opts, stats)


SOURCE = GitHubSource()
