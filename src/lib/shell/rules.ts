/**
 * The hazard rules: id, closest ShellCheck code, default severity, what it means and how to
 * fix it. Messages of individual findings are specific to the script; the explanation and fix
 * here are the general text shown beside them.
 */
import type { Severity } from './types';

export type RuleId =
  | 'syntax'
  | 'parser-limit'
  | 'rm-empty-expansion'
  | 'unquoted-expansion'
  | 'read-write-same-file'
  | 'cd-unchecked'
  | 'unset-variable'
  | 'unreachable'
  | 'ls-loop'
  | 'pipe-numeric-sort'
  | 'pipe-field-range'
  | 'pipe-delimiter'
  | 'pipe-uniq-unsorted'
  | 'pipe-single-line';

export interface RuleInfo {
  id: RuleId;
  /** The closest ShellCheck check (https://www.shellcheck.net/wiki/SCxxxx); none for pipeline shapes. */
  shellcheck?: string;
  /** Other ShellCheck codes a finding of this rule may carry. */
  related?: string[];
  severity: Severity;
  title: string;
  explanation: string;
  fix: string;
  /** Whether findings of this rule can depend on run-time values (and so be deferred). */
  canDefer: boolean;
}

export const RULES: Record<RuleId, RuleInfo> = {
  syntax: {
    id: 'syntax',
    severity: 'error',
    title: 'Syntax error',
    explanation: 'The shell cannot parse the script (reported by mvdan/sh), so none of it would run as written.',
    fix: 'Fix the syntax at the reported line and column.',
    canDefer: false
  },
  'parser-limit': {
    id: 'parser-limit',
    severity: 'warning',
    title: 'Not analysed',
    explanation:
      'The script is valid (mvdan/sh accepts it), but tree-sitter-bash, which builds the tree the analysis walks, could not read this statement, so it was left out of the analysis: its effects and hazards are not reported.',
    fix: 'Nothing to fix in the script; check the statement by hand, or rewrite it more plainly (e.g. without extended globs) to have it analysed.',
    canDefer: false
  },
  'rm-empty-expansion': {
    id: 'rm-empty-expansion',
    shellcheck: 'SC2115',
    severity: 'warning',
    title: 'Destructive command on an expansion that may be empty',
    explanation:
      'If the variable is empty or unset, "$DIR/"* becomes /* and rm -r deletes from the root of the file system. ' +
      'This is how an unset variable turned a cleanup script into a wipe of the user\'s files.',
    fix: 'Write "${DIR:?}/"* so the shell stops with an error when DIR is empty or unset, or test it first: [ -n "$DIR" ] || exit 1.',
    canDefer: true
  },
  'unquoted-expansion': {
    id: 'unquoted-expansion',
    shellcheck: 'SC2086',
    related: ['SC2046', 'SC2068'],
    severity: 'info',
    title: 'Unquoted expansion is split into words and globbed',
    explanation:
      'An unquoted $var or $(cmd) is split on spaces, tabs and newlines, and each piece is expanded as a glob, ' +
      'so a value with a space becomes two arguments and a * becomes a list of files.',
    fix: 'Double-quote it: "$var", "$(cmd)", "$@". Split deliberately with read -a or mapfile when a list is meant.',
    canDefer: true
  },
  'read-write-same-file': {
    id: 'read-write-same-file',
    shellcheck: 'SC2094',
    severity: 'error',
    title: 'File read and truncated in the same pipeline',
    explanation:
      'The shell opens (and truncates) the output file before the command starts reading, so sort f > f reads an empty file and leaves f empty. ' +
      'Appending (>>) to a file being read can loop forever.',
    fix: 'Write to a temporary file and move it over the original (sort f > f.tmp && mv f.tmp f), or use the command\'s own option (sort -o f f, sed -i).',
    canDefer: false
  },
  'cd-unchecked': {
    id: 'cd-unchecked',
    shellcheck: 'SC2164',
    severity: 'warning',
    title: 'cd may fail and the script carries on',
    explanation:
      'If the directory does not exist, cd fails but the script continues in the old directory, so the commands meant for the new one ' +
      '(often rm or mv with relative paths) run somewhere else.',
    fix: 'Use cd dir || exit (or || return in a function), run the rest under cd dir && …, or set -e.',
    canDefer: true
  },
  'unset-variable': {
    id: 'unset-variable',
    shellcheck: 'SC2154',
    severity: 'warning',
    title: 'Variable used but never set',
    explanation:
      'The script reads the variable but never assigns it (by =, read, for, export, declare, getopts…). ' +
      'Like ShellCheck, names with a lowercase letter are reported; ALL_CAPS names are taken to be environment variables ' +
      'unless an environment is supplied and lacks them.',
    fix: 'Assign it, check the spelling, or give a default: ${name:-default} (or ${name:?message} to stop when it is missing).',
    canDefer: true
  },
  unreachable: {
    id: 'unreachable',
    shellcheck: 'SC2317',
    severity: 'info',
    title: 'Unreachable code',
    explanation: 'The statement comes after an exit (or return, or a call to a function that always exits) on every path, so it never runs.',
    fix: 'Remove it, or move it before the exit; if it is a function called indirectly (trap, eval), ignore this.',
    canDefer: false
  },
  'ls-loop': {
    id: 'ls-loop',
    shellcheck: 'SC2045',
    severity: 'warning',
    title: 'Loop over ls output',
    explanation: 'for f in $(ls) splits file names on spaces and expands globs in them; names with spaces or newlines break the loop.',
    fix: 'Loop over a glob instead: for f in ./*; do [ -e "$f" ] || continue; …; done',
    canDefer: false
  },
  'pipe-numeric-sort': {
    id: 'pipe-numeric-sort',
    severity: 'warning',
    title: 'Numeric sort of non-numeric text',
    explanation: 'sort -n compares the leading number of the key; text sorts as 0 and human-readable sizes (4.0K, 1.5M) by their digits only.',
    fix: 'Sort on a numeric field (-k), use sort -h for sizes, or drop -n.',
    canDefer: false
  },
  'pipe-field-range': {
    id: 'pipe-field-range',
    severity: 'warning',
    title: 'Field beyond what the previous stage prints',
    explanation: 'The stage selects a field that the previous stage never prints, so it gets empty text.',
    fix: 'Select a field the previous stage prints.',
    canDefer: false
  },
  'pipe-delimiter': {
    id: 'pipe-delimiter',
    severity: 'warning',
    title: 'Field separator does not match the input',
    explanation:
      'cut splits on one character (TAB unless -d), awk on runs of blanks unless -F; when the previous stage separates fields differently, ' +
      'the stage sees one field per line or empty fields.',
    fix: "Match the separator, or use awk '{print $N}' for space-aligned columns.",
    canDefer: false
  },
  'pipe-uniq-unsorted': {
    id: 'pipe-uniq-unsorted',
    severity: 'info',
    title: 'uniq on input that is not sorted',
    explanation: 'uniq merges only adjacent duplicate lines; on unsorted input duplicates far apart are counted separately.',
    fix: 'Sort first (sort | uniq -c), or use sort -u.',
    canDefer: true
  },
  'pipe-single-line': {
    id: 'pipe-single-line',
    severity: 'info',
    title: 'Stage receives a single count',
    explanation: 'The previous stage prints one number, so sorting or merging lines does nothing.',
    fix: 'Remove the stage, or move it before the counting stage.',
    canDefer: false
  }
};
