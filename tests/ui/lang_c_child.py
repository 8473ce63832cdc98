"""Child process of test_lang_c: the window on an English system (``LANG=C``).

``layar DATA OUT``: every screen and dialog the ``screenshots`` command photographs.
``siklus DATA``: from an empty data folder, the set-up wizard, then the seven steps as
four people who log in with Ganti pengguna, each dialog answered as a user would.

Prints one JSON line: the English texts seen, the windows that did not fit the screen,
and what was done. Dialogs opened with ``exec()`` are answered by the handlers below
(shown first, so their texts and size are checked as the user sees them).
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.ui.english import english_texts  # noqa: E402

PASSWORD = "rahasia-kantor-1"


class Checks:
    def __init__(self) -> None:
        self.english: list[str] = []
        self.misfits: list[str] = []
        self.errors: list[str] = []
        self.done: list[str] = []
        self.windows = 0

    def window(self, window, where: str) -> None:
        from kinerja_desktop.ui.sizing import outside_screen

        self.windows += 1
        self.english += [f"{where}: {hit}" for hit in english_texts(window)]
        problem = outside_screen(window)
        if problem:
            self.misfits.append(f"{where}: {window.windowTitle()}: {problem}")

    def all_windows(self, where: str) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QApplication

        settle()
        for window in QApplication.topLevelWidgets():
            if window.isVisible() and window.windowType() != Qt.WindowType.Popup:
                self.window(window, where)

    def report(self) -> None:
        print(json.dumps({"english": self.english, "misfits": self.misfits,
                          "errors": self.errors, "done": self.done,
                          "windows": self.windows}, ensure_ascii=False))


def settle() -> None:
    from PySide6.QtWidgets import QApplication

    for _ in range(3):
        QApplication.processEvents()


def prepare(tmp: Path):
    from kinerja_desktop import settings
    from kinerja_desktop.app import make_application

    settings.use_ini_file(tmp / "pengaturan.ini")
    return make_application()


# --------------------------------------------------------------------------- layar


def screens(data: Path, out: Path) -> Checks:
    from kinerja_desktop.services.startup import open_existing_context
    from kinerja_desktop.ui.screenshots import render_screens

    checks = Checks()
    ctx = open_existing_context(data)
    try:
        run = render_screens(ctx, out, on_window=checks.window)
    finally:
        ctx.dispose()
    checks.misfits += run.misfits
    checks.done.append(f"{len(run.written)} gambar")
    return checks


# --------------------------------------------------------------------------- siklus


class Answers:
    """Replaces ``exec()`` of the dialogs a cycle meets with a user's answer."""

    def __init__(self, checks: Checks) -> None:
        self.checks = checks
        self.fills: dict[str, list] = {}

    def expect(self, name: str, fill) -> None:
        self.fills.setdefault(name, []).append(fill)

    def install(self) -> None:
        from PySide6.QtWidgets import QDialog, QMessageBox

        answers = self

        def dialog_exec(dialog) -> int:
            name = type(dialog).__name__
            dialog.show()
            settle()
            answers.checks.window(dialog, name)
            queue = answers.fills.get(name) or []
            if queue:
                queue.pop(0)(dialog)
            else:  # a dialog this walk does not know: accepted as it stands
                answers.checks.done.append(f"dialog lain: {name} '{dialog.windowTitle()}'")
                dialog.accept()
            settle()
            result = dialog.result()
            dialog.hide()
            return result

        def box_exec(box) -> int:
            box.show()
            settle()
            answers.checks.window(box, f"pesan '{box.windowTitle()}'")
            if box.icon() in (QMessageBox.Icon.Warning, QMessageBox.Icon.Critical):
                answers.checks.errors.append(f"{box.windowTitle()}: {box.text()}")
            yes = box.button(QMessageBox.StandardButton.Yes)
            chosen = QMessageBox.StandardButton.Yes if yes is not None else \
                QMessageBox.StandardButton.Ok
            box.hide()
            return chosen

        QDialog.exec = dialog_exec
        QMessageBox.exec = box_exec


def login(answers: Answers, username: str) -> None:
    def fill(dialog) -> None:
        dialog.username.clear()
        dialog.username.setText(username)
        dialog.password.setText(PASSWORD)
        dialog.login_button.click()
        if dialog.result() != dialog.DialogCode.Accepted:
            answers.checks.errors.append(f"masuk sebagai {username}: {dialog.message.text()}")
            dialog.reject()

    answers.expect("LoginDialog", fill)


def switch_to(shell, answers: Answers, username: str):
    login(answers, username)
    shell.window.action_switch_user.trigger()
    settle()
    if shell.window is None or shell.window.person.username != username:
        raise SystemExit(f"Ganti pengguna ke {username} gagal")
    return shell.window


def save(dialog) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    if dialog.result() != dialog.DialogCode.Accepted:
        raise SystemExit(f"{type(dialog).__name__} tidak tersimpan: "
                         f"{dialog.error_label.text()}")


def set_up(answers: Answers) -> None:
    """The set-up wizard: office (as proposed), administrator, three users and a team."""
    from PySide6.QtWidgets import QWizard

    from kinerja_desktop.domain.permissions import Role

    people = [("Sekretaris Dinas", "sekretaris", {Role.SEKRETARIS}),
              ("Kasubag Program", "kasubag", {Role.KASUBAG}),
              ("Anggota Satu", "anggota1", set()), ("Anggota Dua", "anggota2", set())]
    for name, username, roles in people:
        def person(dialog, name=name, username=username, roles=roles) -> None:
            dialog.name.setText(name)
            dialog.username.setText(username)
            for role, box in dialog.role_boxes.items():
                box.setChecked(role in roles)
            dialog.password.setText(PASSWORD)
            save(dialog)

        answers.expect("PersonDialog", person)

    def team(dialog) -> None:
        from PySide6.QtCore import Qt

        dialog.name.setText("Tim Bidang Pemerintahan Desa")
        dialog.bidang.setText("Bidang Bina Pemerintahan Desa")
        for row in range(dialog.members.count()):
            item = dialog.members.item(row)
            if item.text().startswith("Anggota"):
                item.setCheckState(Qt.CheckState.Checked)
        dialog.lead.setCurrentIndex(dialog.lead.findText("Anggota Satu"))
        save(dialog)

    answers.expect("TeamDialog", team)

    def wizard(dialog) -> None:
        for page in range(4):
            settle()
            answers.checks.window(dialog, f"penyiapan halaman {page + 1}")
            if dialog.currentPage() is dialog.admin_page:
                dialog.admin_page.name.setText("Administrator Kantor")
                dialog.admin_page.password.setText(PASSWORD)
                dialog.admin_page.repeat.setText(PASSWORD)
            if dialog.currentPage() is dialog.people_page:
                for _person in people:
                    dialog.people_page.people.add_button.click()
                dialog.people_page.sections.setCurrentIndex(1)
                dialog.people_page.teams.add_button.click()
                settle()
                answers.checks.window(dialog, "penyiapan tim")
                dialog.button(QWizard.WizardButton.FinishButton).click()
                return
            dialog.next()
        raise SystemExit("Penyiapan awal tidak sampai ke halaman terakhir")

    answers.expect("SetupWizard", wizard)


def cycle(data: Path) -> Checks:
    from PySide6.QtCore import QEvent, QPointF, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    from kinerja_desktop.services import cycles, workflow
    from kinerja_desktop.services.startup import open_context
    from kinerja_desktop.ui.shell import WindowShell

    checks = Checks()
    answers = Answers(checks)
    answers.install()
    ctx = open_context(data)
    shell = WindowShell(ctx)
    try:
        set_up(answers)
        if not shell.start():
            raise SystemExit("Penyiapan awal dibatalkan")
        checks.all_windows("administrator")
        checks.done.append("penyiapan")

        # Step 1: the Sekretaris starts the cycle (the date picker opened on the way).
        window = switch_to(shell, answers, "sekretaris")

        def new_cycle(dialog) -> None:
            dialog.year.setValue(2025)
            dialog.sk.number.setText("800/12/Itprov/I/2026")
            edit = dialog.sk.date
            arrow = QPointF(edit.width() - 6, edit.height() / 2)
            QApplication.sendEvent(edit, QMouseEvent(
                QEvent.Type.MouseButtonPress, arrow, edit.mapToGlobal(arrow),
                Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton,
                Qt.KeyboardModifier.NoModifier))
            settle()
            popup = edit.calendarWidget().window()
            checks.window(popup, "kalender tanggal SK")
            popup.close()
            save(dialog)

        answers.expect("NewCycleDialog", new_cycle)
        window.action_new_cycle.trigger()  # Berkas ▸ Siklus baru…
        cycle_info = cycles.active_cycle(ctx)
        checks.all_windows("sekretaris")
        window.workflow_panel.select(1)
        window.workflow_panel.finish_button.click()
        checks.done.append("langkah 1")

        # Step 2: the Kasubag enters the indicators and builds the format.
        window = switch_to(shell, answers, "kasubag")
        tab = window.kasubag_tab
        window.tabs.setCurrentWidget(tab)
        tab.show_section("Master indikator")
        master = tab.section("Master indikator")

        def objective(dialog) -> None:
            dialog.code.setText("SS1")
            dialog.name.setText("Meningkatnya kapasitas pemerintahan desa")
            save(dialog)

        answers.expect("ObjectiveDialog", objective)
        master.add_objective_button.click()
        for name in ("Persentase desa yang menyampaikan laporan tepat waktu",
                     "Persentase aparatur desa yang telah dilatih"):
            def indicator(dialog, name=name) -> None:
                dialog.name.setText(name)
                dialog.unit.setText("%")
                dialog.team.setCurrentIndex(dialog.team.findText(
                    "Tim Bidang Pemerintahan Desa", Qt.MatchFlag.MatchStartsWith))
                dialog.target.setText("80")
                save(dialog)

            answers.expect("IndicatorDialog", indicator)
            master.add_button.click()
        checks.all_windows("master indikator")
        tab.show_section("Format (langkah 2)")
        builder = tab.format_builder

        def tick_all(dialog) -> None:
            for row in range(dialog.list.count()):
                dialog.list.item(row).setCheckState(Qt.CheckState.Checked)
            save(dialog)

        answers.expect("AddIndicatorsDialog", tick_all)
        builder.add_button.click()
        checks.all_windows("format")
        if builder.model.rowCount() != 2 or not builder.finish_button.isEnabled():
            state = "aktif" if builder.finish_button.isEnabled() else "mati"
            checks.errors.append(f"Format: {builder.model.rowCount()} indikator, tombol "
                                 f"selesai {state}")
        builder.finish_button.click()
        tab.show_section("Penyampaian (langkah 3)")
        tab.distribute_section.send_all_button.click()
        checks.all_windows("penyampaian")
        view = workflow.workflow(ctx, cycle_info.id, window.current_user_id)
        if view.step(2).timing.status.is_finished and view.step(3).timing.status.is_finished:
            checks.done.append("langkah 2–3")
        else:
            checks.errors.append(f"Langkah 2: {view.step(2).timing.status.label}; langkah 3: "
                                 f"{view.step(3).timing.status.label}")

        # Steps 4–5: a team member fills in and hands in.
        window = switch_to(shell, answers, "anggota2")
        window.tabs.setCurrentWidget(window.team_tab)
        entry = window.team_tab.entry_section
        for row in range(entry.model.rowCount()):
            entry.table.selectRow(row)
            entry.actual_edit.setText("85,5")
            for _caption, edit in entry.text_edits.values():
                edit.setPlainText("Dihitung dari laporan bulanan kecamatan.")
            entry.save_now()
        checks.all_windows("isian tim")
        entry.submit_button.click()
        checks.all_windows("penyerahan")
        states = {r.state.value for r in entry.model.records}
        if states == {"diserahkan"}:
            checks.done.append("langkah 4–5")
        else:
            checks.errors.append(f"Penyerahan: status butir {sorted(states)}, "
                                 f"{entry.progress_label.text()}")

        # Step 6: the Kasubag verifies every item.
        window = switch_to(shell, answers, "kasubag")
        tab = window.kasubag_tab
        window.tabs.setCurrentWidget(tab)
        tab.show_section("Verifikasi (langkah 6)")
        desk = tab.verification_desk
        # The desk shows the waiting items and drops each one once verified.
        for _item in range(desk.model.rowCount()):
            if not desk.model.rowCount():
                break
            desk.table.selectRow(0)
            desk.verify_button.click()
        checks.all_windows("verifikasi")
        states = {r.state.value for r in desk.all_items}
        if states == {"diverifikasi"}:
            checks.done.append("langkah 6")
        else:
            checks.errors.append(f"Verifikasi: status butir {sorted(states)}")

        # Step 7: the draft in the preview, the confirmation that the cycle closes, done.
        tab.show_section("Kompilasi (langkah 7)")
        bar = tab.compile_section.step_bar
        if bar.start_button.isVisible() and bar.start_button.isEnabled():
            bar.start_button.click()
        answers.expect("PdfPreviewDialog", lambda preview: preview.proceed_button.click())
        answers.expect("CloseCycleDialog", lambda dialog: dialog.accept())
        bar.finish_button.click()
        settle()
        checks.all_windows("kompilasi")
        if cycles.get_cycle(ctx, cycle_info.id).status == "selesai":
            checks.done.append("langkah 7")
        else:
            checks.errors.append("Siklus belum selesai setelah langkah 7")
    finally:
        if shell.window is not None:
            shell.window.close()
        ctx.dispose()
    return checks


def main() -> None:
    mode, data = sys.argv[1], Path(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix="kinerja-lang-c-") as tmp:
        prepare(Path(tmp))
        checks = screens(data, Path(sys.argv[3])) if mode == "layar" else cycle(data)
    checks.report()


if __name__ == "__main__":
    main()
