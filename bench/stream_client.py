"""A client of Streamlit's websocket protocol that behaves as a browser tab does, for load benchmarks.

It opens ``/_stcore/stream`` (subprotocol ``streamlit``), asks for a run with the page's query string,
and reads the ForwardMsgs back: the elements of each run (widgets by their user key), the query string
the app writes, the end of each run, exceptions and error messages shown, and the answers to deferred
downloads. Like the browser it keeps the values of the widgets it has set and sends them with every
rerun (a button's trigger only once), takes a value the app sets (``set_value``) as the widget's new
one, and keeps a cache of large messages so that the server sends references to them.

Nothing here knows about the dashboard: ``bench/load_sessions.py`` decides what to click.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

#: Runs that end a chain of runs; FINISHED_EARLY_FOR_RERUN (``st.rerun()``, a newer request) does not.
_FINAL = {
    ForwardMsg.FINISHED_SUCCESSFULLY,
    ForwardMsg.FINISHED_WITH_COMPILE_ERROR,
    ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY,
}
_ERROR_ALERT = 1  # Alert.Format.ERROR
#: Threads fetching downloaded files: enough that no tab waits for another's download, as in browsers
#: (Streamlit deletes a made file once two runs have finished anywhere after it: a late fetch fails).
_FETCHERS = ThreadPoolExecutor(max_workers=64, thread_name_prefix="fetch")


class StreamError(RuntimeError):
    """The session cannot go on: the server closed the connection or did not answer in time."""


class Disconnected(StreamError):
    """The websocket closed while a run or a download was awaited."""


class TimedOut(StreamError):
    """A run or a download took longer than the session's timeout."""


@dataclass(frozen=True)
class Widget:
    """One widget of the last finished run: its id, element type, user key and element message."""

    id: str
    kind: str
    key: str
    proto: object


@dataclass
class RunResult:
    """What one rerun (a chain of runs up to the last ``script_finished``) took and showed."""

    seconds: float
    exceptions: list[str] = field(default_factory=list)  # exception elements and compile errors
    error_alerts: list[str] = field(default_factory=list)  # st.error messages


def user_key(widget_id: str) -> str:
    """The user key at the end of an element id (``$$ID-<hash>-<key>``); ``""`` when it has none."""
    parts = widget_id.split("-", 2)
    return parts[2] if len(parts) == 3 and parts[2] != "None" else ""


class StreamSession:
    """One browser tab's session with a Streamlit server at ``base_url`` (``http://host:port/path``)."""

    def __init__(self, base_url: str, query: str = "", timeout: float = 120.0):
        self.base_url = base_url.rstrip("/")
        self.query = query.lstrip("?")
        self.timeout = timeout
        self.session_id = ""
        self.widgets: dict[str, Widget] = {}  # user key (or id) -> widget, from the last finished run
        self._pending: dict[str, Widget] = {}
        self._states: dict[str, WidgetState] = {}  # widget id -> the value this tab holds
        self._cache: dict[str, tuple[ForwardMsg, int]] = {}  # hash -> (message, run it was last used)
        self._max_age = 2
        self._runs = 0
        self._ws = None
        self._reader: asyncio.Task | None = None
        self._finished: asyncio.Queue[int] = asyncio.Queue()
        self._answers: dict[str, asyncio.Future] = {}
        self._run = RunResult(0.0)
        self._cookies: dict[str, str] = {}  # what the server set on the page's answer (a proxy's route)

    # -- connection ----------------------------------------------------------------------------------

    def _stream_url(self) -> str:
        parts = urllib.parse.urlsplit(self.base_url)
        scheme = "wss" if parts.scheme == "https" else "ws"
        return urllib.parse.urlunsplit((scheme, parts.netloc, f"{parts.path}/_stcore/stream", "", ""))

    async def open(self) -> RunResult:
        """Connect and run the page as a browser opening ``base_url?query`` does."""
        origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(self.base_url))
        # The page first, as a browser loads it: a proxy in front of replicas pins the session to one
        # replica by a cookie set on that answer, which the websocket and the downloads then carry.
        await asyncio.get_running_loop().run_in_executor(_FETCHERS, self._load_page)
        # The handshake waits as long as a run may: a busy server answers late, which is not an error.
        self._ws = await websockets.connect(
            self._stream_url(),
            subprotocols=["streamlit"],
            origin=origin,
            max_size=None,
            ping_interval=None,
            open_timeout=self.timeout,
            additional_headers=self._cookie_header(),
        )
        self._reader = asyncio.create_task(self._read())
        return await self.rerun()

    async def close(self) -> None:
        """Close the websocket (the server keeps the session for its disconnected-session TTL)."""
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self._ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await self._reader

    # -- reruns --------------------------------------------------------------------------------------

    async def rerun(self, *changes: WidgetState) -> RunResult:
        """Set ``changes`` (widget states), ask for a rerun, and wait for the chain of runs to end."""
        for state in changes:
            self._states[state.id] = state
        msg = BackMsg()
        client = msg.rerun_script
        client.query_string = self.query
        client.widget_states.widgets.extend(self._states.values())
        client.cached_message_hashes.extend(self._cache)
        # A trigger (a button press) is sent once; the browser then forgets it.
        for wid in [w for w, s in self._states.items() if s.WhichOneof("value") == "trigger_value"]:
            del self._states[wid]
        while not self._finished.empty():
            self._finished.get_nowait()
        self._run = RunResult(0.0)
        began = time.perf_counter()
        await self._send(msg)
        await self._wait(self._finished.get(), "a rerun")
        self._run.seconds = time.perf_counter() - began
        return self._run

    def widget(self, key: str) -> Widget:
        """The widget with user key ``key`` in the last finished run (``KeyError`` when absent)."""
        return self.widgets[key]

    def components(self, name: str) -> list[Widget]:
        """The custom components named ``name`` (``package.function``) in the last finished run."""
        return [
            w
            for w in self.widgets.values()
            if w.kind == "component_instance" and w.proto.component_name == name
        ]

    # -- downloads -----------------------------------------------------------------------------------

    async def download(self, key: str) -> tuple[float, int]:
        """Press the download button ``key`` as a browser does; return (seconds, bytes received).

        A deferred button (its file made on click) asks the server over the websocket for the file's
        address, then fetches it; a button with its file ready fetches its address at once.
        """
        button = self.widget(key).proto
        began = time.perf_counter()
        url = button.url
        if button.deferred_file_id:
            request_id = str(uuid.uuid4())
            answer = asyncio.get_running_loop().create_future()
            self._answers[request_id] = answer
            msg = BackMsg()
            msg.backend_operation_request.request_id = request_id
            msg.backend_operation_request.session_id = self.session_id
            msg.backend_operation_request.deferred_file.file_id = button.deferred_file_id
            await self._send(msg)
            response = await self._wait(answer, f"the file of {key}")
            if response.error_msg:
                raise RuntimeError(f"{key}: {response.error_msg}")
            url = response.deferred_file.url
        size = await asyncio.get_running_loop().run_in_executor(_FETCHERS, self._fetch, url)
        return time.perf_counter() - began, size

    def _fetch(self, url: str) -> int:
        full = urllib.parse.urljoin(self.base_url + "/", url.lstrip("/"))
        request = urllib.request.Request(full, headers=self._cookie_header())
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            return len(response.read())

    def _load_page(self) -> None:
        url = f"{self.base_url}/" + (f"?{self.query}" if self.query else "")
        with urllib.request.urlopen(url, timeout=self.timeout) as response:
            response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, value = header.split(";", 1)[0].partition("=")
                self._cookies[name.strip()] = value.strip()

    def _cookie_header(self) -> dict[str, str]:
        if not self._cookies:
            return {}
        return {"Cookie": "; ".join(f"{name}={value}" for name, value in self._cookies.items())}

    # -- the wire ------------------------------------------------------------------------------------

    async def _send(self, msg: BackMsg) -> None:
        if self._reader is not None and self._reader.done():
            raise Disconnected("the websocket is closed")
        try:
            await self._ws.send(msg.SerializeToString())
        except websockets.ConnectionClosed as exc:
            raise Disconnected(f"the websocket closed: {exc}") from exc

    async def _wait(self, awaitable, what: str):
        waiter = asyncio.ensure_future(awaitable)
        done, _ = await asyncio.wait(
            {waiter, self._reader}, timeout=self.timeout, return_when="FIRST_COMPLETED"
        )
        if waiter in done:
            return waiter.result()
        waiter.cancel()
        if self._reader in done:
            raise Disconnected(f"the websocket closed while waiting for {what}")
        raise TimedOut(f"no answer for {what} in {self.timeout:.0f} s")

    async def _read(self) -> None:
        async for data in self._ws:
            msg = ForwardMsg()
            msg.ParseFromString(data)
            self._handle(msg)

    def _handle(self, msg: ForwardMsg) -> None:
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            cached = self._cache.get(msg.ref_hash)
            if cached is None:
                self._run.exceptions.append(f"reference to a message not in the cache: {msg.ref_hash}")
                return
            self._cache[msg.ref_hash] = (cached[0], self._runs)
            resolved = ForwardMsg()
            resolved.CopyFrom(cached[0])
            resolved.metadata.CopyFrom(msg.metadata)  # the reference's own position in the page
            msg, kind = resolved, "delta"
        elif msg.metadata.cacheable and msg.hash:
            self._cache[msg.hash] = (msg, self._runs)
        if kind == "new_session":
            self.session_id = msg.new_session.initialize.session_id or self.session_id
            self._max_age = msg.new_session.config.max_cached_message_age or self._max_age
            self._pending = {}
        elif kind == "delta":
            self._delta(msg)
        elif kind == "page_info_changed":
            self.query = msg.page_info_changed.query_string
        elif (
            kind == "session_event" and msg.session_event.WhichOneof("type") == "script_compilation_exception"
        ):
            self._run.exceptions.append(msg.session_event.script_compilation_exception.message)
        elif kind == "backend_operation_response":
            answer = self._answers.pop(msg.backend_operation_response.request_id, None)
            if answer is not None and not answer.done():
                answer.set_result(msg.backend_operation_response)
        elif kind == "script_finished" and msg.script_finished in _FINAL:
            self.widgets = self._pending
            self._runs += 1
            self._expire()
            self._finished.put_nowait(msg.script_finished)

    def _delta(self, msg: ForwardMsg) -> None:
        if msg.delta.WhichOneof("type") == "add_block":
            block = msg.delta.add_block
            if block.WhichOneof("type") == "tab_container" and block.tab_container.id.startswith("$$ID"):
                wid = block.tab_container.id  # tabs that rerun when switched: a widget holding a label
                self._pending[user_key(wid) or wid] = Widget(wid, "tabs", user_key(wid), block.tab_container)
            return
        if msg.delta.WhichOneof("type") != "new_element":
            return
        element = msg.delta.new_element
        kind = element.WhichOneof("type")
        if kind is None:
            return
        body = getattr(element, kind)
        if kind == "exception":
            self._run.exceptions.append(f"{body.type}: {body.message}")
            return
        if kind == "alert" and body.format == _ERROR_ALERT:
            self._run.error_alerts.append(body.body)
            return
        wid = getattr(body, "id", "")
        if not wid.startswith("$$ID"):
            return
        self._pending[user_key(wid) or wid] = Widget(wid, kind, user_key(wid), body)
        if getattr(body, "set_value", False) and wid in self._states:
            self._take_value(wid, kind, body)

    def _take_value(self, wid: str, kind: str, body) -> None:
        """The app set this widget's value: hold the new one, as the browser does."""
        state = WidgetState(id=wid)
        if kind == "multiselect":
            state.string_array_value.data.extend(body.raw_values)
        elif kind == "selectbox":
            state.string_value = body.raw_value
        else:
            del self._states[wid]  # not a kind this client sets: let the server keep its value
            return
        self._states[wid] = state

    def _expire(self) -> None:
        """Drop cached messages unused for more runs than the server allows (as the browser does)."""
        for key in [k for k, (_, used) in self._cache.items() if self._runs - used > self._max_age]:
            del self._cache[key]


def multiselect_state(widget: Widget, labels: list[str]) -> WidgetState:
    """A multiselect holding ``labels`` (its options as shown)."""
    state = WidgetState(id=widget.id)
    state.string_array_value.data.extend(labels)
    return state


def trigger_state(widget: Widget) -> WidgetState:
    """A button pressed (sent once)."""
    return WidgetState(id=widget.id, trigger_value=True)


def string_state(widget: Widget, value: str) -> WidgetState:
    """A widget whose value is a string: a selectbox's option as shown, a dataframe's selection JSON."""
    return WidgetState(id=widget.id, string_value=value)


def json_state(widget: Widget, value: str) -> WidgetState:
    """A custom component's value, as JSON."""
    return WidgetState(id=widget.id, json_value=value)
