"""An editor validates a tenant file offline: yaml-language-server (the server behind VS Code's
YAML extension, and Neovim's, Helix's, ...) is driven over stdio on the files `faqlint init`
writes, and reports the schema's diagnostic for a misspelt key.

The server comes from npm, installed once into a cache folder (`FAQLINT_TEST_NPM_DIR`, default
`~/.cache/faqlint-tests/npm`); the test skips only where node or npm is missing. The server is
told not to fetch the SchemaStore catalogue, and the schemas are named by path, so nothing in the
run goes to the network. Every wait is bounded.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from faqlint.init import write_starter

pytestmark = pytest.mark.slow

SERVER_PACKAGE = "yaml-language-server@1"
INSTALL_TIMEOUT = 600
REPLY_TIMEOUT = 60


def _server_dir() -> Path:
    default = Path(os.path.expanduser("~")) / ".cache" / "faqlint-tests" / "npm"
    return Path(os.environ.get("FAQLINT_TEST_NPM_DIR") or default)


@pytest.fixture(scope="module")
def server_command() -> list[str]:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip(
            "node and npm are needed to run yaml-language-server (apt-get install nodejs npm)"
        )
    folder = _server_dir()
    entry = folder / "node_modules" / "yaml-language-server" / "bin" / "yaml-language-server"
    if not entry.is_file():
        folder.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [
                npm,
                "install",
                "--prefix",
                str(folder),
                "--no-audit",
                "--no-fund",
                "--silent",
                SERVER_PACKAGE,
            ],
            capture_output=True,
            text=True,
            timeout=INSTALL_TIMEOUT,
            check=False,
        )
        assert done.returncode == 0, f"npm install {SERVER_PACKAGE} failed: {done.stderr}"
    return [node, str(entry), "--stdio"]


class _Server:
    """A yaml-language-server process and the JSON-RPC messages it sends, read on a thread.
    `settings` are what the client answers when the server asks for its configuration (it asks
    for `yaml`, `http`, `[yaml]` and `editor` on every configuration change)."""

    def __init__(self, command: list[str], cwd: Path, settings: dict[str, Any]) -> None:
        self.settings = settings
        self.configured = threading.Event()
        self.writing = threading.Lock()
        self.process = subprocess.Popen(
            command,
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.messages: queue.Queue[dict[str, Any]] = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while True:
            length = 0
            while True:
                line = stream.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode("ascii").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip())
            message = json.loads(stream.read(length))
            if "method" in message and "id" in message:
                self._answer(message)
            else:
                self.messages.put(message)

    def _answer(self, request: dict[str, Any]) -> None:
        """Requests from the server: `workspace/configuration` gets `settings`, anything else
        (capability registrations) null."""
        reply = None
        if request["method"] == "workspace/configuration":
            reply = [self.settings.get(item.get("section")) for item in request["params"]["items"]]
            self.configured.set()
        self.send({"id": request["id"], "result": reply})

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        with self.writing:  # the reader thread answers the server's requests meanwhile
            self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self.process.stdin.flush()

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        reply = self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)
        return reply.get("result")

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def wait(self, wanted: Any) -> dict[str, Any]:
        """The first message from the server that `wanted` accepts."""
        deadline = time.monotonic() + REPLY_TIMEOUT
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("yaml-language-server did not answer in time")
            try:
                message = self.messages.get(timeout=left)
            except queue.Empty:
                continue
            if wanted(message):
                return message

    def wait_for_configuration(self) -> None:
        self.configured.wait(REPLY_TIMEOUT)
        assert self.configured.is_set(), "yaml-language-server never asked for its settings"

    def diagnostics(self, path: Path) -> list[dict[str, Any]]:
        uri = path.as_uri()
        text = path.read_text(encoding="utf-8")
        self.notify(
            "textDocument/didOpen",
            {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
        )
        message = self.wait(
            lambda m: (
                m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == uri
            )
        )
        diagnostics: list[dict[str, Any]] = message["params"]["diagnostics"]
        return diagnostics

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=REPLY_TIMEOUT)


@pytest.fixture
def editor(server_command: list[str], tmp_path: Path):
    """The repository `faqlint init` writes, open in an editor with no setting of its own but
    the ones that keep it offline (`schemas` adds the `yaml.schemas` mapping)."""
    repo = tmp_path / "repo"
    write_starter(repo)
    opened: list[_Server] = []

    def start(schemas: dict[str, Any] | None = None) -> _Server:
        yaml = {"validate": True, "schemaStore": {"enable": False}, "schemas": schemas or {}}
        server = _Server(server_command, repo, {"yaml": yaml, "http": {}, "editor": {}})
        opened.append(server)
        server.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": repo.as_uri(),
                "workspaceFolders": [{"uri": repo.as_uri(), "name": "repo"}],
                "capabilities": {
                    "workspace": {"configuration": True},
                    "textDocument": {"publishDiagnostics": {}},
                },
            },
        )
        server.notify("initialized", {})
        server.notify("workspace/didChangeConfiguration", {"settings": {}})
        # The server pulls the settings in reply; once it has asked, they apply.
        server.wait_for_configuration()
        return server

    yield repo, start
    for server in opened:
        server.close()


def _misspell(path: Path, right: str, wrong: str) -> int:
    """Misspell key `right` as `wrong`; returns its line (0-based, as LSP counts)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.strip().startswith(f"{right}:"))
    lines[number] = lines[number].replace(f"{right}:", f"{wrong}:", 1)
    path.write_text("".join(lines), encoding="utf-8")
    return number


def test_the_modeline_init_writes_validates_offline(editor) -> None:
    repo, start = editor
    exchange = repo / "tenants" / "contoso" / "exchange.yaml"
    line = _misspell(exchange, "EwsAllowList", "EwsAllowlist")
    server = start()
    found = server.diagnostics(exchange)
    messages = [d["message"] for d in found]
    assert not any("Unable to load schema" in m for m in messages), messages
    misspelt = [d for d in found if d["range"]["start"]["line"] == line]
    assert misspelt, messages
    assert [d["message"] for d in misspelt] == ["Property EwsAllowlist is not allowed."]
    # The untouched files beside it are clean: the schemas load and accept them.
    assert server.diagnostics(repo / "tenants" / "contoso" / "tenant.yaml") == []
    assert server.diagnostics(repo / ".faqlint.yaml") == []


def test_the_combined_schema_validates_files_without_a_modeline(editor) -> None:
    repo, start = editor
    tenant = repo / "tenants" / "contoso" / "tenant.yaml"
    text = tenant.read_text(encoding="utf-8")
    tenant.write_text(text.split("\n", 1)[1].replace("cloud:", "clowd:"), encoding="utf-8")
    lines = tenant.read_text(encoding="utf-8").splitlines()
    line = next(i for i, t in enumerate(lines) if "clowd:" in t)
    spec = lines.index("spec:")  # `cloud` is required too: its absence is reported there
    server = start({"./.faqlint/schemas/resource.schema.json": "tenants/**/*.yaml"})
    found = server.diagnostics(tenant)
    by_line = {d["range"]["start"]["line"]: d["message"] for d in found}
    assert by_line == {line: "Property clowd is not allowed.", spec: 'Missing property "cloud".'}
    # and a document of another kind is judged by its own schema
    exchange = repo / "tenants" / "contoso" / "exchange.yaml"
    exchange.write_text(exchange.read_text().split("\n", 1)[1], encoding="utf-8")
    assert server.diagnostics(exchange) == []


def test_each_document_of_a_file_is_validated_by_its_own_modeline(editor) -> None:
    """yaml-language-server takes a modeline for the document it heads: the second document of a
    file carries its own, and a mistake there is found against the second kind's schema."""
    repo, start = editor
    both = repo / "tenants" / "contoso" / "both.yaml"
    tenant = (repo / "tenants" / "contoso" / "tenant.yaml").read_text(encoding="utf-8")
    exchange = (repo / "tenants" / "contoso" / "exchange.yaml").read_text(encoding="utf-8")
    both.write_text(tenant + "---\n" + exchange.replace("EwsEnabled:", "EwsEnable:"))
    line = both.read_text().splitlines().index("  EwsEnable: true")
    server = start()
    found = server.diagnostics(both)
    assert [(d["range"]["start"]["line"], d["message"]) for d in found] == [
        (line, "Property EwsEnable is not allowed.")
    ]


def test_the_examples_open_clean_in_the_editor(server_command: list[str]) -> None:
    """Every file of examples/ with a modeline, the multi-kind ones through the combined schema:
    no false alarm, and no schema that fails to load."""
    examples = Path(__file__).resolve().parent.parent / "examples"
    settings = {"validate": True, "schemaStore": {"enable": False}, "schemas": {}}
    server = _Server(server_command, examples, {"yaml": settings, "http": {}, "editor": {}})
    try:
        server.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": examples.as_uri(),
                "capabilities": {"workspace": {"configuration": True}},
            },
        )
        server.notify("initialized", {})
        server.notify("workspace/didChangeConfiguration", {"settings": {}})
        server.wait_for_configuration()
        files = [
            path
            for path in sorted(examples.rglob("*.yaml"))
            if path.read_text(encoding="utf-8").startswith("# yaml-language-server:")
        ]
        assert len(files) >= 8
        for path in files:
            assert server.diagnostics(path) == [], path
    finally:
        server.close()
