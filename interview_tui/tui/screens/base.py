"""What every screen shares: typed access to the app, `go` (ask the app's router for another screen) and a thread
worker for blocking service calls."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual import events, on
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer

from interview_tui.domain.errors import InterviewError, ProviderError
from interview_tui.tui.intents import Intent
from interview_tui.tui.messages import WorkAction, WorkFailed

if TYPE_CHECKING:
    from interview_tui.tui.app import InterviewApp


class BaseScreen(Screen[None]):
    @property
    def iapp(self) -> InterviewApp:
        return cast("InterviewApp", self.app)  # screens run only inside InterviewApp

    @on(events.ScreenResume)
    @on(events.Resize)
    def _fit_footer(self) -> None:
        """Keep the footer's keys readable on small terminals: tighter spacing under 100 columns, and the
        palette hint (ctrl+p is in the help) dropped under 80."""
        width = self.app.size.width
        for footer in self.query(Footer):
            footer.compact = width < 100
            footer.show_command_palette = width >= 80

    def go(self, intent: Intent) -> None:
        """Ask the app to navigate (tui/intents.py); screens never open or close other screens themselves."""
        intent.origin = self
        self.app.post_message(intent)

    def call_service(self, action: WorkAction, doing: str, fn: Callable[..., Any], *args: Any,
                     done: Callable[[Any], Message]) -> None:
        """Run `fn(*args)` in a thread worker; post `done(result)`, or `WorkFailed` with a readable message."""
        self.run_worker(partial(self._call, action, doing, fn, args, done), thread=True, exit_on_error=False,
                        group=action, name=action, description=doing)

    def _call(self, action: WorkAction, doing: str, fn: Callable[..., Any], args: tuple[Any, ...],
              done: Callable[[Any], Message]) -> None:
        try:
            result = fn(*args)
        except ProviderError as err:
            self.post_message(WorkFailed(action, str(err), err.retryable, err))
        except InterviewError as err:
            self.post_message(WorkFailed(action, str(err), False, err))
        except Exception as err:
            self.post_message(WorkFailed(action, self.iapp.unexpected(err, doing), True, err))
        else:
            self.post_message(done(result))
