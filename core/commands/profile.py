"""CLI: ``profile add|set|show|list|remove`` and ``secret set`` (value from stdin, never argv, never echoed)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys

from core.commands.options import OPTIONS, apply_changes, given, shown
from core.commands.output import safe_stdout
from core.errors import ConfigError, SecretStoreError, Text
from core.profiles import Profile, ProfileRepo, open_repo
from core.profiles import warnings as profile_warnings
from core.secrets import MAX_SECRET_CHARS, SECRET_KEYS, too_long

EXIT_OK = 0

_COLUMNS = (("name", "名称 Name"), ("fx_url", "纷享地址 Fxiaoke URL"), ("fx_app_id", "纷享 appId"),
            ("k3_url", "金蝶地址 K3Cloud URL"), ("k3_acct_id", "数据中心 Acct"), ("k3_user", "用户 User"),
            ("k3_org", "组织 Org"))


def _needed_secrets(profile: Profile) -> tuple[str, ...]:
    return ("fx-app-secret", "fx-permanent-code", "k3-password" if profile.k3_auth == "password" else "k3-app-secret")


def _add(repo: ProfileRepo, args: argparse.Namespace) -> int:
    profile = Profile(name=args.name, **given(args))
    repo.add(profile)
    print(f"已添加配置 {profile.name} / Profile {profile.name} added.")
    for warning in profile_warnings(profile):
        print(f"{warning.zh}\n{warning.en}", file=sys.stderr)
    print("下一步（会提示输入，不显示）/ Next (each asks for the value without showing it): "
          + "; ".join(f"fxk3sync secret set {profile.name} {k}" for k in _needed_secrets(profile)), file=sys.stderr)
    return EXIT_OK


def _set(repo: ProfileRepo, args: argparse.Namespace) -> int:
    changes = given(args)
    if not changes:
        raise ConfigError(Text("没有给出要修改的设置。", "No setting to change was given."),
                          Text("例如：fxk3sync profile set {n} --k3-org 101（fxk3sync profile show {n} 列出全部设置）",
                               "e.g. fxk3sync profile set {n} --k3-org 101 (fxk3sync profile show {n} lists every "
                               "setting)").format(n=args.name), field="name")
    profile = apply_changes(repo.get(args.name), changes)
    repo.update(profile)  # validated first; the secrets in the keyring are not touched
    flags = ", ".join(o.flag for o in OPTIONS if o.setting in changes)
    print(f"已修改配置 {args.name}：{flags}（密钥未改动） / Profile {args.name} updated: {flags} (secrets kept).")
    missing = [k for k in _needed_secrets(profile) if not _stored(repo, args.name, k)]
    if missing:
        todo = "; ".join(f"fxk3sync secret set {args.name} {k}" for k in missing)
        print("还缺少密钥 / Secrets still missing: " + todo, file=sys.stderr)
    return EXIT_OK


def _stored(repo: ProfileRepo, name: str, key: str) -> bool | None:
    """Whether the keyring holds the secret (None: the keyring cannot be read now)."""
    try:
        return bool(repo.secrets.get(name, key))
    except SecretStoreError:
        return None


def _show(repo: ProfileRepo, args: argparse.Namespace) -> int:
    profile = repo.get(args.name)
    secrets = {k: _stored(repo, args.name, k) for k in SECRET_KEYS}
    if args.json:
        print(json.dumps({**profile.to_dict(), "secrets": secrets}, ensure_ascii=False))
        return EXIT_OK
    out = safe_stdout()
    print(f"配置 {profile.name} / Profile {profile.name}", file=out)
    width = max(len(o.flag) for o in OPTIONS)
    for opt in OPTIONS:
        print(f"  {opt.flag:<{width}}  {shown(getattr(profile, opt.setting))}", file=out)
    print("密钥（系统密钥环，只显示是否已保存） / Secrets (OS keyring; only whether each is stored)", file=out)
    words = {True: "已保存 stored", False: "未保存 not stored", None: "无法读取密钥环 keyring unreadable"}
    for key, state in secrets.items():
        print(f"  {key:<{width}}  {words[state]}", file=out)
    print(f"修改 / Change: fxk3sync profile set {profile.name} --OPTION VALUE", file=out)
    return EXIT_OK


def _table(rows: list[dict[str, str]]) -> str:
    widths = {k: max([_width(h)] + [_width(r[k]) for r in rows]) for k, h in _COLUMNS}
    lines = ["  ".join(_pad(h, widths[k]) for k, h in _COLUMNS)]
    lines.append("  ".join("-" * widths[k] for k, _ in _COLUMNS))
    lines += ["  ".join(_pad(r[k], widths[k]) for k, _ in _COLUMNS) for r in rows]
    return "\n".join(line.rstrip() for line in lines)


def _width(text: str) -> int:
    # CJK characters take two terminal columns.
    return sum(2 if ord(c) > 0x2E80 else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _list(repo: ProfileRepo, args: argparse.Namespace) -> int:
    profiles = repo.list()
    if args.json:
        print(json.dumps([p.to_dict() for p in profiles], ensure_ascii=False))
    elif not profiles:
        print("还没有配置，请用 fxk3sync profile add 添加。 / No profiles yet; add one with fxk3sync profile add.")
    else:
        print(_table([{k: str(getattr(p, k) or "") for k, _ in _COLUMNS} for p in profiles]))
    return EXIT_OK


def _remove(repo: ProfileRepo, args: argparse.Namespace) -> int:
    repo.remove(args.name)
    print(f"已删除配置 {args.name} 及其密钥 / Profile {args.name} and its secrets removed.")
    return EXIT_OK


#: Bytes read from a pipe at most: the longest secret the keyring keeps, in UTF-8 (4 bytes a character), plus a BOM.
_MAX_STDIN_BYTES = MAX_SECRET_CHARS * 4 + 3


def _read_secret(key: str) -> str:
    if sys.stdin is None:
        value = ""
    elif sys.stdin.isatty():
        value = getpass.getpass(f"{key}: ")
    elif hasattr(sys.stdin, "buffer"):
        value = _decode_stdin(key, sys.stdin.buffer.read(_MAX_STDIN_BYTES + 1))
    else:  # a text stream without bytes underneath (an embedding host): already decoded
        value = sys.stdin.read()
    if value.endswith("\r\n"):
        value = value[:-2]
    elif value.endswith("\n"):
        value = value[:-1]
    if not value:
        raise ConfigError(
            Text("没有从标准输入读到 {k} 的值。", "No value for {k} was given on standard input.").format(k=key),
            Text("请在终端中直接运行 fxk3sync secret set 配置名 {k}：程序会提示输入，且不显示输入的内容"
                 "（不要用 echo 传入，密钥会留在命令历史中）。",
                 "Run fxk3sync secret set NAME {k} in a terminal: it asks for the value and does not show what you "
                 "type (do not pipe it in with echo: the secret would stay in the shell history).").format(k=key),
            field="key",
        )
    return value


def _decode_stdin(key: str, raw: bytes) -> str:
    """The piped value as UTF-8 text (a BOM dropped); other bytes are refused, never stored as U+FFFD."""
    if len(raw) > _MAX_STDIN_BYTES:
        raise ConfigError(
            Text("标准输入里的 {k} 太长，系统密钥环最多保存 {max} 个字符；请检查是否粘贴了多余内容。",
                 "The value of {k} on standard input is too long (the OS keyring keeps at most {max} characters); "
                 "check that nothing extra was piped in.").format(k=key, max=MAX_SECRET_CHARS),
            field="key")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            Text("标准输入里的 {k} 不是有效的 UTF-8 文本（第 {pos} 个字节 0x{b:02x}）。",
                 "The value of {k} on standard input is not valid UTF-8 text (byte 0x{b:02x} at position {pos}).")
            .format(k=key, pos=exc.start, b=raw[exc.start]),
            Text("请以 UTF-8 编码输入（Windows 命令行可先运行 chcp 65001），或在“连接”页填写。",
                 "Give it as UTF-8 (in a Windows console run chcp 65001 first), or enter it on the Connection page."),
            field="key") from None


def _secret_set(repo: ProfileRepo, args: argparse.Namespace) -> int:
    repo.profile_id(args.name)  # an unknown profile or a missing keyring fails before anything is read
    repo.secrets.check()
    value = _read_secret(args.key)
    if too_long(value):  # bad input, not a keyring failure: a usage error (exit 2)
        raise ConfigError(
            Text("{k} 的值太长（{n} 个字符），系统密钥环最多保存 {max} 个字符；请检查是否粘贴了多余内容。",
                 "The value of {k} is too long ({n} characters; the OS keyring keeps at most {max}); check that "
                 "nothing extra was pasted.").format(k=args.key, n=len(value), max=MAX_SECRET_CHARS),
            field="key",
        )
    repo.set_secret(args.name, args.key, value)
    where = repo.secrets.backend_name()
    print(f"{args.key} 已保存到 {where}（配置 {args.name}） / {args.key} of profile {args.name} stored in {where}.",
          file=sys.stderr)
    return EXIT_OK


def run(args: argparse.Namespace) -> int:
    """Dispatch ``profile ...`` / ``secret set``; errors propagate to ``core.cli`` for the exit code."""
    repo = open_repo()
    try:
        if args.command == "secret":
            return _secret_set(repo, args)
        return {"add": _add, "set": _set, "show": _show, "list": _list, "remove": _remove}[args.action](repo, args)
    finally:
        repo.db.close()
