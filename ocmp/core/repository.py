"""A release repository: several listing projects below one folder, and the order they ship in.

A publisher keeps one repository per release: typically an image listing and the stack
listing that launches it. :func:`open_repository` finds every ``listing.yaml`` below a folder
(however nested; ``.ocmpignore`` and ``.gitignore`` folders, VCS and tool folders skipped),
loads each, and resolves the names in ``package.stack.image_listings``: a listing's name or
its project folder (relative to the repository, or its last part when unique). The result
is a dependency graph checked before any request: a cycle, a name nothing answers to, a name
two listings answer to, or two listings with the same name are one clear error each.

:meth:`Repository.waves` gives the order: image listings (and anything nothing depends
on) first, then the stacks that launch them. Listings of one wave are independent of each
other and may run concurrently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ocmp.core.discovery import LISTING_FILE, find_listing_files, has_terraform_below
from ocmp.core.project import Project, open_projects
from ocmp.errors import InputError
from ocmp.schemas.common import is_ocid
from ocmp.schemas.listing import StackListingFile


@dataclass(frozen=True)
class Member:
    """One listing project of the repository."""

    project: Project
    folder: str  # the project folder relative to the repository root ("." for the root)
    needs: tuple[str, ...] = ()  # names of the members this one launches (image listings)
    live_refs: tuple[str, ...] = ()  # image listings already live: OCIDs (or, alone, names)

    @property
    def name(self) -> str:
        """The listing's name (unique in the repository)."""
        return self.project.listing.model.listing.name

    @property
    def kind(self) -> str:
        """``image`` or ``stack``."""
        return self.project.listing.model.kind


@dataclass
class Repository:
    """The listing projects of a release and how they depend on each other."""

    root: Path
    members: list[Member] = field(default_factory=list)

    def member(self, name: str) -> Member:
        """The member called ``name`` (a listing name)."""
        return next(m for m in self.members if m.name == name)

    def waves(self) -> list[list[Member]]:
        """Members in dependency order, grouped: each wave only needs earlier waves."""
        done: set[str] = set()
        left = list(self.members)
        waves: list[list[Member]] = []
        while left:
            ready = [m for m in left if set(m.needs) <= done]
            if not ready:  # open_repository refuses cycles; this guards the invariant
                raise InputError("the listings depend on each other in a cycle")
            ready.sort(key=lambda m: (m.kind != "image", m.folder))
            waves.append(ready)
            done.update(m.name for m in ready)
            left = [m for m in left if m.name not in done]
        return waves

    def only(self, names: Sequence[str]) -> Repository:
        """The members named (by listing name or folder) and everything they need.

        Raises:
            InputError: a name that matches no member.
        """
        wanted: set[str] = set()
        pending = [self._resolve_only(n) for n in names]
        while pending:
            name = pending.pop()
            if name not in wanted:
                wanted.add(name)
                pending.extend(self.member(name).needs)
        return Repository(self.root, [m for m in self.members if m.name in wanted])

    def _resolve_only(self, ref: str) -> str:
        hits = answering(self.members, ref)
        if len(hits) == 1:
            return hits[0].name
        known = ", ".join(repr(m.name) for m in self.members)
        raise InputError(
            f"--only {ref!r}: " + ("names several listings" if hits else "no listing here"),
            file=str(self.root),
            hint=f"give a listing name or project folder; the repository holds {known}",
        )


def is_repository(path: Path) -> bool:
    """Whether ``path`` is a folder that holds listing projects below it but none itself."""
    return (
        path.is_dir()
        and not (path / LISTING_FILE).exists()
        and next(iter(find_listing_files(path)), None) is not None
    )


def open_repository(root: Path, cwd: Path | None = None) -> Repository:
    """Load every listing project below ``root`` and check how they reference each other.

    Raises:
        InputError: no listing project below ``root``; an invalid listing.yaml; two listings
            with the same name; an image listing reference that is missing, ambiguous, not
            an image listing, or part of a cycle.
    """
    here = cwd or Path.cwd()
    absolute = root if root.is_absolute() else here / root
    if not absolute.exists():
        raise InputError("no such file or directory", file=str(root))
    if absolute.is_file():
        files, absolute = [absolute], absolute.parent
    else:
        files = find_listing_files(absolute)
    if not files and has_terraform_below(absolute):
        raise InputError(
            f"no {LISTING_FILE} here: this is a Terraform stack, not a listing project",
            file=str(root),
            hint="publish a listing project (`ocmp init DIR --kind stack` creates one); "
            "`ocmp validate` checks a bare stack",
        )
    if not files:
        raise InputError(
            f"no {LISTING_FILE} here or below",
            file=str(root),
            hint="give a listing project, or a repository that holds some; "
            "`ocmp init DIR` creates one",
        )
    projects = open_projects(files, cwd=here)
    single = len(projects) == 1  # one project: names it does not hold are live listings
    members = [Member(p, _folder(absolute, p.root)) for p in projects]
    _check_unique(members)
    members = [_resolve(m, members, live_names=single) for m in members]
    repo = Repository(absolute, members)
    _check_acyclic(repo)
    _check_kinds(repo)
    return repo


def _folder(root: Path, project_root: Path) -> str:
    try:
        return project_root.relative_to(root).as_posix() or "."
    except ValueError:
        return project_root.as_posix()


def _check_unique(members: Sequence[Member]) -> None:
    by_name: dict[str, Member] = {}
    for m in members:
        other = by_name.get(m.name)
        if other is not None:
            listing = m.project.listing
            raise InputError(
                f"listing.name {m.name!r} is also the name of {other.folder}/{LISTING_FILE}",
                file=listing.display,
                line=listing.line_of("listing", "name"),
                hint="listing names are unique in a compartment: rename one of them",
            )
        by_name[m.name] = m


def answering(members: Iterable[Member], ref: str) -> list[Member]:
    """Members a reference names: by listing name, by folder, or by the folder's last part."""
    exact = [m for m in members if ref in (m.name, m.folder)]
    if exact:
        return exact
    return [m for m in members if PurePosixPath(m.folder).name == ref.rstrip("/")]


def _resolve(member: Member, members: Sequence[Member], *, live_names: bool = False) -> Member:
    model = member.project.listing.model
    if not isinstance(model, StackListingFile):
        return member
    listing = member.project.listing
    needs: list[str] = []
    live: list[str] = []
    for index, ref in enumerate(model.package.stack.image_listings):
        line = listing.line_of("package", "stack", "image_listings", index)
        if is_ocid(ref):
            live.append(ref)
            continue
        hits = [m for m in answering(members, ref) if m is not member]
        if not hits and live_names:
            live.append(ref)  # a listing published from elsewhere, found by name when used
            continue
        if not hits:
            known = ", ".join(repr(m.name) for m in members if m.kind == "image") or "none"
            raise InputError(
                f"package.stack.image_listings: no listing in this repository is called {ref!r}",
                file=listing.display,
                line=line,
                hint=f"name an image listing of the repository (image listings here: {known}), "
                "or give the OCID of a listing already live",
            )
        if len(hits) > 1:
            which = ", ".join(f"{h.folder} ({h.name!r})" for h in hits)
            raise InputError(
                f"package.stack.image_listings: {ref!r} could be any of {which}",
                file=listing.display,
                line=line,
                hint="use the listing's exact name",
            )
        needs.append(hits[0].name)
    return Member(member.project, member.folder, tuple(dict.fromkeys(needs)), tuple(live))


def _check_kinds(repo: Repository) -> None:
    for member in repo.members:
        for need in member.needs:
            target = repo.member(need)
            if target.kind != "image":
                listing = member.project.listing
                raise InputError(
                    f"package.stack.image_listings: {need!r} is a {target.kind} listing, "
                    "not an image listing",
                    file=listing.display,
                    line=listing.line_of("package", "stack", "image_listings"),
                    hint="a stack launches image listings; list only those",
                )


def _check_acyclic(repo: Repository) -> None:
    needs = {m.name: m.needs for m in repo.members}
    state: dict[str, int] = {}  # 1 = on the path, 2 = done

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            cycle = [*path[path.index(name) :], name]
            first = repo.member(name).project.listing
            raise InputError(
                "the listings depend on each other in a cycle: " + " → ".join(cycle),
                file=first.display,
                line=first.line_of("package", "stack", "image_listings"),
                hint="a stack may launch image listings; nothing may launch the stack back",
            )
        state[name] = 1
        for need in needs[name]:
            visit(need, [*path, name])
        state[name] = 2

    for m in repo.members:
        visit(m.name, [])
