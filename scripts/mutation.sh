#!/usr/bin/env bash
# Mutation testing (mutmut 3): how many small faults planted in a module its own tests catch.
#
#   scripts/mutation.sh                      every module in the table below
#   scripts/mutation.sh common/anumber.py    one or more modules, by path
#   make mutation ARGS="common/holidays.py"
#
# Each module runs in a scratch copy of the working tree ($MUTATION_WORKDIR, default
# /tmp/ecas-mutation/<module>), never in the repository itself: mutmut writes its mutants/
# folder beside the pyproject.toml it reads, and the module's [tool.mutmut] section (which
# file to mutate, which tests) is added to the copy's pyproject.toml only. Each module is
# tested with its own fast tests (the table below), the server's on SQLite only
# (-m "not postgres"). The run prints killed / survived / timeout per module and the score
# (killed + timeout over all mutants, those that no test reaches included), and appends one line per module
# to $MUTATION_SUMMARY (default test-output/mutation-summary.tsv).
#
# Not part of `make test` nor of .ci/run: a module takes minutes to tens of minutes.
# Run it under `nice -n 19` on a shared machine. docs/TESTING.md has the measured figures.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
PY="$REPO/.venv/bin/python"
MUTMUT="$REPO/.venv/bin/mutmut"
if [[ ! -x "$MUTMUT" ]]; then
    "$REPO/scripts/setup.sh" --dev >/dev/null
fi
WORKDIR="${MUTATION_WORKDIR:-/tmp/ecas-mutation}"
SUMMARY="${MUTATION_SUMMARY:-$REPO/test-output/mutation-summary.tsv}"
CHILDREN="${MUTATION_CHILDREN:-2}"
export QT_QPA_PLATFORM=offscreen

# Module -> its own tests (space-separated paths; pytest options may follow after "--").
declare -A TESTS=(
    [common/anumber.py]="tests/common/test_anumber.py"
    [common/court_time.py]="tests/common/test_court_time.py tests/common/test_court_clock_rule.py"
    [common/holidays.py]="tests/common/test_holidays.py tests/common/test_court_closures.py"
    [common/service.py]="tests/common/test_service.py"
    [common/deadlines.py]="tests/common/test_deadlines.py tests/common/test_deadlines_mutants.py tests/common/test_appeal_deadline.py tests/common/test_motion_rules.py tests/common/test_decisions.py"
    # common/'s court-rule modules (their tests in tests/common)
    [common/decisions.py]="tests/common/test_decisions.py tests/common/test_board_decision_rules.py tests/common/test_decisions_mutants.py"
    [common/motions.py]="tests/common/test_motion_rules.py tests/common/test_motions_mutants.py"
    [common/appeals.py]="tests/common/test_appeal_deadline.py tests/common/test_appeal_decided_rule.py tests/common/test_briefing_schedule.py tests/common/test_appeals_mutants.py"
    [common/custody.py]="tests/common/test_custody_rules.py"
    [common/counsel.py]="tests/common/test_counsel_rules.py"
    [common/family.py]="tests/common/test_family_rules.py"
    [common/adjournment.py]="tests/common/test_adjournment.py tests/common/test_adjournment_mutants.py"
    [common/voluntary_departure.py]="tests/common/test_voluntary_departure.py tests/common/test_voluntary_departure_mutants.py"
    [common/bonds.py]="tests/common/test_bonds_mutants.py"
    [common/lifecycle.py]="tests/common/test_lifecycle.py tests/common/test_lifecycle_mutants.py tests/common/test_decisions.py"
    [common/board_decisions.py]="tests/common/test_board_decision_rules.py tests/common/test_board_decisions_mutants.py"
    [common/court_closures.py]="tests/common/test_court_closures.py tests/common/test_court_closures_mutants.py tests/common/test_deadlines.py tests/common/test_appeal_deadline.py tests/common/test_briefing_schedule.py"
    [sync_server/policy.py]="tests/server/test_policy_units.py tests/server/test_policy_write_rules.py tests/server/test_policy_feed_sql.py"
    [sync_server/services/sync.py]="tests/server/test_sync_pull.py tests/server/test_sync_push.py tests/server/test_sync_noop.py tests/server/test_push_batch.py tests/server/test_scope_delta.py tests/server/test_confidential_sync.py tests/server/test_feed_text.py tests/server/test_push_replay_and_groups.py tests/server/test_sync_protocol_exact.py tests/server/test_sync_mutants.py tests/server/test_board_decisions.py::test_a_board_member_not_assigned_cannot_sign_or_vote tests/server/test_custody_history.py::test_a_custody_change_pushed_by_the_clerk_syncs_to_the_judge_and_moves_the_address_of_record tests/server/test_pleadings_decisions.py tests/server/test_board_decisions.py::test_dhs_appeals_a_panel_remands_2_to_1_and_the_case_is_pending_again_at_the_court tests/server/test_board_decisions.py::test_a_member_votes_only_in_their_own_name_once_and_not_after_issue tests/server/test_counsel_changes.py::test_a_withdrawal_granted_takes_the_case_from_former_counsel_on_their_next_pull tests/server/test_counsel_changes.py::test_a_substitution_serves_the_new_counsel_and_not_the_former tests/server/test_counsel_changes.py::test_counsel_who_returns_reads_the_case_again_without_stale_tombstones tests/server/test_bond_proceedings.py::test_a_bond_heard_before_the_nta_is_linked_when_it_arrives_and_custody_counsel_reads_only_it tests/server/test_sync_consequences.py"
    # The store's tests that need no server (its outbox/encryption tests with a live server
    # take 10 min a run, ~20 s of seeded-app setup each: too slow to repeat per mutant).
    [desktop/local_store.py]="tests/desktop/test_local_store.py tests/desktop/test_local_store_mutants.py tests/desktop/test_scope_delta_apply.py tests/desktop/test_scope_reset_keeps_edits.py::test_an_interrupted_reset_keeps_records_readable_until_its_last_page"
    # common/'s shared pieces (names, sources, data files, reference lists). Not here:
    # common/annotations.py and common/enums.py: mutmut 3 makes no mutant of them (it mutates
    # the bodies of undecorated functions; they have constants and properties only).
    [common/folding.py]="tests/common/test_folding_mutants.py tests/desktop/test_docket_search_folding.py"
    [common/citations.py]="tests/common/test_citations_mutants.py"
    [common/confidentiality.py]="tests/common/test_confidentiality_mutants.py"
    [common/resources.py]="tests/common/test_resources_mutants.py"
    [common/languages.py]="tests/common/test_languages_mutants.py"
    [common/version.py]="tests/common/test_version_mutants.py"
    [common/protocol.py]="tests/common/test_protocol_mutants.py"
    [common/wire.py]="tests/common/test_wire_mutants.py"
    # common/'s forms, notices and orders, and the PDFs they make
    [common/forms_eoir.py]="tests/common/test_forms_eoir_rules.py tests/common/test_forms_eoir_mutants.py"
    [common/hearing_notices.py]="tests/notices/test_notice_wording.py tests/notices/test_tagged_notices.py tests/common/test_hearing_notices_mutants.py"
    [common/orders.py]="tests/orders/test_orders_mutants.py tests/orders/test_rules.py"
    [common/order_pdf.py]="tests/common/test_order_pdf_mutants.py tests/orders/test_rules.py tests/orders/test_order_wording.py tests/orders/test_tagged_orders.py"
    [common/pdf_tags.py]="tests/orders/test_tagged_orders.py tests/notices/test_tagged_notices.py tests/common/test_pdf_tags_mutants.py"
    [common/pdf_preflight.py]="tests/common/test_pdf_preflight.py tests/common/test_pdf_preflight_mutants.py"
    # The box's own tests, not the upload ones (those seed a server: ~1 min a run at load 25).
    # The checker (_checker) and the zygote (_main) run in forked processes, whose calls
    # mutmut does not see: test_pdf_box_mutants.py also calls both in-process, their
    # kernel calls (signals, limits, os._exit) recorded, so their mutants are counted.
    [common/pdf_box.py]="tests/common/test_pdf_box_mutants.py tests/server/test_pdf_box.py::test_the_checker_inherits_no_secrets_of_the_server tests/server/test_pdf_box.py::test_a_killed_checker_process_is_replaced_and_the_next_file_is_checked tests/server/test_pdf_box.py::test_a_checker_that_stops_answering_is_refused_when_its_wall_clock_runs_out"
)
# Smallest first, so that a run cut short still measured the most modules.
ORDER=(
    common/anumber.py common/holidays.py common/court_time.py common/service.py
    common/deadlines.py sync_server/policy.py desktop/local_store.py
    sync_server/services/sync.py
    common/voluntary_departure.py common/adjournment.py common/lifecycle.py
    common/board_decisions.py common/court_closures.py common/bonds.py common/motions.py
    common/decisions.py common/appeals.py common/family.py common/counsel.py common/custody.py
    common/version.py common/folding.py common/citations.py
    common/confidentiality.py common/resources.py common/languages.py
    common/wire.py common/protocol.py common/forms_eoir.py common/pdf_tags.py
    common/hearing_notices.py common/order_pdf.py common/pdf_preflight.py common/orders.py
    common/pdf_box.py
)

modules=("$@")
if [[ ${#modules[@]} -eq 0 ]]; then
    modules=("${ORDER[@]}")
fi
for module in "${modules[@]}"; do
    if [[ -z "${TESTS[$module]:-}" ]]; then
        echo "mutation: no tests mapped for $module (add it to TESTS in $0)" >&2
        exit 2
    fi
done

mkdir -p "$(dirname "$SUMMARY")"
if [[ ! -s "$SUMMARY" ]]; then
    printf 'date\tmodule\tmutants\tkilled\tsurvived\ttimeout\tno_tests\tsuspicious\tscore\tload\tseconds\n' >"$SUMMARY"
fi

toml_list() {  # words -> a TOML array of strings
    local out="" word
    for word in "$@"; do out+="\"$word\", "; done
    printf '[%s]' "${out%, }"
}

status=0
for module in "${modules[@]}"; do
    slug="${module//\//_}"
    slug="${slug%.py}"
    work="$WORKDIR/$slug"
    rm -rf "$work"
    mkdir -p "$work"
    # The working tree as git sees it (tracked and new files, nothing ignored).
    git ls-files -z --cached --others --exclude-standard \
        | (cd "$REPO" && xargs -0 cp --parents -t "$work" 2>/dev/null || true)
    read -r -a tests <<<"${TESTS[$module]}"
    selection=("${tests[@]}")
    # Empties the project's lru_caches before each test (scripts/mutation_fresh_caches.py
    # says why: without it a mutant of a cached function is never called in the fork).
    cp "$REPO/scripts/mutation_fresh_caches.py" "$work/mutation_fresh_caches.py"
    extra=(-p no:cacheprovider -p mutation_fresh_caches)
    case "$module" in
        sync_server/*)
            extra+=(-m "not postgres")
            # Each mutant's tests are a pytest session of their own: they copy the seeded
            # server the first session kept (tests/conftest.py) instead of seeding again.
            export ECAS_TEST_SEED_CACHE="$work/seed-cache"
            ;;
        *) unset ECAS_TEST_SEED_CACHE ;;
    esac
    {
        printf '\n[tool.mutmut]\n'
        printf 'source_paths = ["common", "sync_server", "desktop"]\n'
        printf 'only_mutate = %s\n' "$(toml_list "$module")"
        printf 'also_copy = ["resources", "mutation_fresh_caches.py"]\n'
        printf 'pytest_add_cli_args_test_selection = %s\n' "$(toml_list "${selection[@]}")"
        printf 'pytest_add_cli_args = %s\n' "$(toml_list "${extra[@]}")"
        if [[ "$module" == sync_server/* ]]; then
            # Each mutant's run builds the seeded server first (5 s idle, 20 s and more on
            # busy cores), which mutmut's wall limit, 15 x (the tests' time + 1 s), does not
            # count: mutants of functions with short tests "timed out" while being built.
            printf 'timeout_constant = 30.0\ntimeout_multiplier = 3.0\n'
        fi
    } >>"$work/pyproject.toml"

    echo "mutation: $module with ${tests[*]}"
    load="$(cut -d' ' -f1 /proc/loadavg)"
    started=$SECONDS
    if ! (cd "$work" && "$MUTMUT" run --max-children "$CHILDREN" >"$work/mutmut-run.log" 2>&1); then
        echo "mutation: mutmut run failed for $module; the end of $work/mutmut-run.log:" >&2
        tail -n 30 "$work/mutmut-run.log" >&2
        status=1
        continue
    fi
    seconds=$((SECONDS - started))
    (cd "$work" && "$MUTMUT" export-cicd-stats >/dev/null)
    (cd "$work" && "$MUTMUT" results >"$work/survivors.txt" 2>&1 || true)
    "$PY" - "$work/mutants/mutmut-cicd-stats.json" "$module" "$load" "$seconds" "$SUMMARY" <<'EOF'
import datetime
import json
import sys

path, module, load, seconds, summary = sys.argv[1:]
with open(path, encoding="utf-8") as f:
    s = json.load(f)
# Every mutant counts, those no test reaches too (they are not caught); skipped ones do not.
reached = s["total"] - s["skipped"]
caught = s["killed"] + s["timeout"] + s["segfault"]
score = 100.0 * caught / reached if reached else 0.0
print(
    f"mutation: {module}: {s['total']} mutants, {s['killed']} killed, {s['survived']} survived, "
    f"{s['timeout']} timeout, {s['no_tests']} not reached by a test, "
    f"{s['suspicious']} suspicious; score {score:.1f} % ({seconds} s, load {load})"
)
day = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
with open(summary, "a", encoding="utf-8") as f:
    f.write(
        f"{day}\t{module}\t{s['total']}\t{s['killed']}\t{s['survived']}\t{s['timeout']}\t"
        f"{s['no_tests']}\t{s['suspicious']}\t{score:.1f}\t{load}\t{seconds}\n"
    )
EOF
    echo "mutation: survivors of $module (mutmut show <name> in $work):"
    grep -E ': (survived|no tests)' "$work/survivors.txt" | head -n 40 || true
done
echo "mutation: summary in $SUMMARY"
exit "$status"
