"use client";

import Link from "next/link";
import { useCallback, useEffect, useRef, useState, useTransition } from "react";
import {
  CorefileEditor,
  DiagnosticsList,
  ExecutionOrderPanel,
  type CorefileEditorHandle,
  type InitialSelection,
} from "@/components/corefile-editor";
import type { CorefileDiagnostic } from "@/lib/corefile/validate";
import { Alert } from "@/components/ui/alert";
import { buttonClass } from "@/components/ui/button-class";
import { Card } from "@/components/ui/card";
import { applyCorefileAction, discardDraftAction, readLiveCorefileAction, saveDraftAction } from "./actions";
import { BoardPanel } from "@/components/board/board-panel";
import { RecipesPanel } from "@/components/recipes/recipes-panel";
import type { OffsetEdit } from "@/lib/corefile-language";
import { ConflictPanel } from "./conflict-panel";
import { useEditorView, type EditorView } from "./use-editor-view";
import { ReviewPanel } from "./review-panel";
import { DraftImpact } from "./draft-impact";
import { LiveRollout } from "@/components/metrics/live-rollout";
import { readRolloutStatusAction, rollbackAction } from "../history/actions";
import { useRouter } from "next/navigation";

/** The live Corefile when the page loaded; null when the ConfigMap does not exist (yet). */
export type LiveState = { text: string; resourceVersion: string } | null;

type DraftProps = { text: string; baseText: string; baseResourceVersion: string | null; updatedAt: string };

type Base = { text: string; resourceVersion: string | null };

type DraftStatus = "none" | "unsaved" | "saving" | "saved" | "error";

/** An applied revision whose rollout the notice follows; `previous` is what a rejection rolls back to. */
type AppliedRollout = { revisionId: string; resourceVersion: string; previous: { id: string; number: number } | null };

type Notice = {
  tone: "info" | "warning" | "error";
  title: string;
  body?: string;
  link?: { href: string; label: string };
  rollout?: AppliedRollout;
} | null;

const DRAFT_SAVE_DELAY_MS = 800;

const VIEWS: { id: EditorView; label: string }[] = [
  { id: "text", label: "Text" },
  { id: "split", label: "Text + board" },
  { id: "board", label: "Board" },
];


/** Where a new user starts when the ConfigMap does not exist. */
const STARTER_COREFILE = `.:53 {
    errors
    health {
        lameduck 5s
    }
    ready
    kubernetes cluster.local in-addr.arpa ip6.arpa {
        pods insecure
        fallthrough in-addr.arpa ip6.arpa
        ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
        max_concurrent 1000
    }
    cache 30
    loop
    reload
    loadbalance
}
`;

export function EditorWorkspace({
  cluster,
  location,
  live,
  isConfigMapMissing,
  draft,
  readOnlyReason = null,
  initialSelection,
}: {
  cluster: string;
  location: string;
  live: LiveState;
  isConfigMapMissing: boolean;
  draft: DraftProps | null;
  /** Why this person may not apply (their role): nothing is saved or applied, and the buttons say why. */
  readOnlyReason?: string | null;
  /** A directive to select when the editor opens (`/editor?line=N&column=M`). */
  initialSelection?: InitialSelection;
}) {
  const editorRef = useRef<CorefileEditorHandle>(null);
  const initialText = draft?.text ?? live?.text ?? STARTER_COREFILE;
  const [text, setText] = useState(initialText);
  const [base, setBase] = useState<Base>(
    draft ? { text: draft.baseText, resourceVersion: draft.baseResourceVersion } : { text: live?.text ?? "", resourceVersion: live?.resourceVersion ?? null },
  );
  const [checkedDiagnostics, setCheckedDiagnostics] = useState<CorefileDiagnostic[]>([]);
  const [cursorOffset, setCursorOffset] = useState(0);
  const [draftStatus, setDraftStatus] = useState<DraftStatus>(draft ? "saved" : "none");
  const [phase, setPhase] = useState<"edit" | "review" | "conflict">("edit");
  const [conflictLive, setConflictLive] = useState<{ text: string; resourceVersion: string } | null>(null);
  const [notice, setNotice] = useState<Notice>(() => initialNotice(draft, live, isConfigMapMissing));
  const [serverDiagnostics, setServerDiagnostics] = useState<CorefileDiagnostic[] | null>(null);
  const [isBusy, startTransition] = useTransition();
  const [view, chooseView] = useEditorView();
  // A link to a directive needs the text editor on screen: the board-only view hides it.
  const pendingSelectionView = useRef(initialSelection !== undefined);
  useEffect(() => {
    if (!pendingSelectionView.current) return;
    pendingSelectionView.current = false;
    if (view === "board") chooseView("split");
  }, [view, chooseView]);
  /** A structured edit from the board or a recipe: one undoable step in the text editor, then show where it landed. */
  function applyStructuredEdits(edits: readonly OffsetEdit[], focus?: { line: number; column: number }) {
    editorRef.current?.applyEdits(edits);
    if (focus && view !== "board") editorRef.current?.revealPosition(focus.line, focus.column);
  }
  const saveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The newest text, for the draft save to know whether a later keystroke superseded it.
  const latestText = useRef(initialText);

  const hasChanges = text !== base.text;
  // The editor may keep the first onChange it was given, so the draft save reads the base from a ref.
  const baseRef = useRef(base);
  useEffect(() => {
    baseRef.current = base;
  }, [base]);

  const saveDraftNow = useCallback(
    async (draftText: string, draftBase: Base) => {
      setDraftStatus("saving");
      const result = await saveDraftAction({ cluster, text: draftText, baseText: draftBase.text, baseResourceVersion: draftBase.resourceVersion });
      if (latestText.current !== draftText) return; // a newer change is already queued
      setDraftStatus(result.ok ? "saved" : "error");
      if (!result.ok) setNotice({ tone: "error", title: "The draft could not be saved", body: `${result.message} Your text is still here; keep this tab open and try again.` });
    },
    [cluster],
  );

  function handleChange(next: string) {
    latestText.current = next;
    setText(next);
    setServerDiagnostics(null);
    setDraftStatus("unsaved");
    if (readOnlyReason) return; // a viewer may try things out; nothing is stored
    if (saveTimer.current) clearTimeout(saveTimer.current);
    saveTimer.current = setTimeout(() => void saveDraftNow(next, baseRef.current), DRAFT_SAVE_DELAY_MS);
  }

  // Leaving with changes that are not saved on the server yet asks first.
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (draftStatus === "unsaved" || draftStatus === "saving" || draftStatus === "error") {
        event.preventDefault();
      }
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [draftStatus]);

  useEffect(() => () => {
    if (saveTimer.current) clearTimeout(saveTimer.current);
  }, []);

  function replaceText(next: string, nextBase: Base) {
    latestText.current = next;
    baseRef.current = nextBase;
    setBase(nextBase);
    editorRef.current?.setText(next);
    setText(next);
  }

  function pullLive() {
    startTransition(async () => {
      const result = await readLiveCorefileAction({ cluster });
      if (!result.ok) {
        setNotice({ tone: "error", title: "Could not read the live Corefile", body: result.message });
        return;
      }
      const nextBase = { text: result.text, resourceVersion: result.resourceVersion };
      replaceText(result.text, nextBase);
      await saveDraftNow(result.text, nextBase);
      setNotice({ tone: "info", title: "The live Corefile is now your draft", body: `resourceVersion ${result.resourceVersion}. Undo (Ctrl+Z) brings your previous text back.` });
    });
  }

  function discard() {
    if (!window.confirm("Discard your draft and start again from the live Corefile?")) return;
    startTransition(async () => {
      await discardDraftAction({ cluster });
      const result = await readLiveCorefileAction({ cluster });
      const nextBase = result.ok ? { text: result.text, resourceVersion: result.resourceVersion } : base;
      replaceText(nextBase.text, nextBase);
      setDraftStatus("none");
      setPhase("edit");
      setNotice({ tone: "info", title: "Draft discarded", body: "The editor shows the live Corefile." });
    });
  }

  function format() {
    const result = editorRef.current?.format();
    if (result && !result.ok) setNotice({ tone: "warning", title: "Not formatted", body: `${result.message} (line ${result.line}, column ${result.column})` });
  }

  function apply(message: string) {
    startTransition(async () => {
      const result = await applyCorefileAction({ cluster, text, baseResourceVersion: base.resourceVersion, message });
      if (result.ok && "revision" in result) {
        setBase({ text: result.text, resourceVersion: result.resourceVersion });
        setDraftStatus("none");
        setPhase("edit");
        setNotice({
          tone: "info",
          title: `Applied: resourceVersion ${result.resourceVersion}`,
          body: `Recorded as revision ${result.revision.number}. CoreDNS pods load it after the kubelet syncs the ConfigMap (about a minute) and the reload plugin polls (30 s ± 15 s).`,
          link: { href: `/history/${result.revision.id}`, label: `Open revision ${result.revision.number}` },
          rollout: {
            revisionId: result.revision.id,
            resourceVersion: result.resourceVersion,
            previous: result.revision.parentId ? { id: result.revision.parentId, number: result.revision.number - 1 } : null,
          },
        });
        return;
      }
      if (result.ok) return;
      if (result.code === "CONFLICT" && "live" in result && result.live) {
        setConflictLive(result.live);
        setPhase("conflict");
        return;
      }
      if (result.code === "UNCHANGED") {
        setNotice({ tone: "info", title: "Nothing to apply", body: result.message });
        return;
      }
      if (result.code === "INVALID" && "diagnostics" in result) setServerDiagnostics(result.diagnostics);
      const unknown = "isOutcomeUnknown" in result && result.isOutcomeUnknown;
      setNotice({
        tone: "error",
        title: unknown ? "The apply may or may not have reached the cluster" : "Not applied",
        body: `${result.message}${unknown ? " Coredeck will check the ConfigMap and record the revision if the write happened." : ""} Your draft is kept.`,
      });
    });
  }

  const diagnostics = serverDiagnostics ?? checkedDiagnostics;
  const errorCount = diagnostics.filter((d) => d.severity === "error").length;

  return (
    <div className="flex flex-col gap-4">
      {notice ? (
        <Alert tone={notice.tone} title={notice.title}>
          {notice.body ? <p>{notice.body}</p> : null}
          {notice.link ? (
            <p className="mt-1">
              <Link className="underline" href={notice.link.href}>
                {notice.link.label}
              </Link>
            </p>
          ) : null}
          {notice.rollout ? (
            <div className="mt-2">
              <AppliedRolloutLine cluster={cluster} applied={notice.rollout} />
            </div>
          ) : null}
        </Alert>
      ) : null}

      {readOnlyReason ? (
        <p id="editor-readonly-reason" className="text-sm text-amber-800 dark:text-amber-300" data-testid="editor-readonly-reason">
          Read-only: {readOnlyReason} You can try changes here; they are neither saved nor applied.
        </p>
      ) : null}
      <div role="toolbar" aria-label="Editor actions" className="flex flex-wrap items-center gap-2">
        <button
          type="button"
          className={buttonClass("primary")}
          disabled={isBusy || !hasChanges || phase !== "edit" || readOnlyReason !== null}
          aria-describedby={readOnlyReason ? "editor-readonly-reason" : undefined}
          title={readOnlyReason ?? undefined}
          onClick={() => setPhase("review")}
        >
          Review changes
        </button>
        <button type="button" className={buttonClass()} disabled={isBusy || phase !== "edit"} onClick={format}>
          Format
        </button>
        <button type="button" className={buttonClass()} disabled={isBusy || isConfigMapMissing} onClick={pullLive}>
          Pull live into draft
        </button>
        <button
          type="button"
          className={buttonClass()}
          disabled={isBusy || draftStatus === "none" || readOnlyReason !== null}
          aria-describedby={readOnlyReason ? "editor-readonly-reason" : undefined}
          onClick={discard}
        >
          Discard draft
        </button>
        <span role="status" aria-live="polite" className="ml-auto text-xs text-slate-600 dark:text-slate-400" data-testid="draft-status">
          {isBusy ? "Working…" : describeDraftStatus(draftStatus, hasChanges)}
        </span>
      </div>

      {phase === "review" ? (
        <ReviewPanel
          original={base.text}
          modified={text}
          diagnostics={diagnostics}
          isBusy={isBusy}
          isCreate={base.resourceVersion === null}
          location={location}
          onBack={() => setPhase("edit")}
          onApply={apply}
          impact={<DraftImpact cluster={cluster} draft={text} />}
        />
      ) : null}

      {phase === "conflict" && conflictLive ? (
        <ConflictPanel
          base={base}
          live={conflictLive}
          mine={text}
          onUseMerged={(merged, conflicts) => {
            replaceText(merged, conflictLive);
            void saveDraftNow(merged, conflictLive);
            setPhase("edit");
            setNotice(
              conflicts > 0
                ? { tone: "warning", title: `${conflicts} conflicting region${conflicts === 1 ? "" : "s"} to resolve`, body: "They are marked with <<<<<<< and >>>>>>> in the editor. Keep what you need, remove the markers, then review again." }
                : { tone: "info", title: "Merged", body: "Your changes now sit on top of the live Corefile. Review and apply again." },
            );
          }}
          onTakeLive={() => {
            replaceText(conflictLive.text, conflictLive);
            void saveDraftNow(conflictLive.text, conflictLive);
            setPhase("edit");
            setNotice({ tone: "info", title: "The live Corefile is now your draft", body: "Undo (Ctrl+Z) brings your previous text back." });
          }}
          onBack={() => setPhase("edit")}
        />
      ) : null}

      <div className={phase === "edit" ? "flex flex-col gap-4" : "hidden"}>
        <div role="radiogroup" aria-label="Editor view" className="inline-flex w-fit overflow-hidden rounded-md border border-slate-300 dark:border-slate-700">
          {VIEWS.map((option) => (
            <button
              key={option.id}
              type="button"
              role="radio"
              aria-checked={view === option.id}
              onClick={() => chooseView(option.id)}
              className={`px-3 py-1.5 text-sm ${view === option.id ? "bg-sky-700 text-white dark:bg-sky-600" : "bg-white hover:bg-slate-100 dark:bg-slate-900 dark:hover:bg-slate-800"}`}
            >
              {option.label}
            </button>
          ))}
        </div>
        <div className={`grid gap-4 ${view === "split" ? "2xl:grid-cols-2" : view === "text" ? "xl:grid-cols-[minmax(0,1fr)_22rem]" : ""}`}>
          {/* The text editor stays mounted in every view: board edits and undo go through its model. */}
          <div className={view === "board" ? "hidden" : ""}>
            <Card title="Corefile">
              <CorefileEditor
                ref={editorRef}
                defaultValue={initialText}
                ariaLabel={`Corefile of ${location}`}
                onChange={handleChange}
                onCursorOffsetChange={setCursorOffset}
                onDiagnosticsChange={(result) => setCheckedDiagnostics(result.diagnostics)}
                inlineDiagnostics="never"
                height="32rem"
                {...(initialSelection ? { initialSelection } : {})}
              />
            </Card>
          </div>
          {view === "text" ? null : (
            <Card title="Pipeline board">
              <BoardPanel
                text={text}
                onApplyEdits={applyStructuredEdits}
                onReveal={(line, column) => {
                  if (view === "board") chooseView("split");
                  editorRef.current?.revealPosition(line, column);
                }}
                onUndo={() => editorRef.current?.undo()}
                onRedo={() => editorRef.current?.redo()}
              />
            </Card>
          )}
          <div className={`flex flex-col gap-4 ${view === "split" ? "2xl:col-span-2 xl:grid xl:grid-cols-3 xl:items-start" : view === "board" ? "xl:grid xl:grid-cols-3 xl:items-start" : ""}`}>
            <Card title={errorCount > 0 ? `Problems (${errorCount} blocking)` : "Problems"}>
              <DiagnosticsList
                diagnostics={diagnostics}
                title={null}
                ariaLabel="Problems in the Corefile"
                onSelect={(d) => {
                  if (view === "board") chooseView("split");
                  editorRef.current?.revealPosition(d.line, d.column);
                }}
              />
            </Card>
            {view === "text" ? (
              <Card title="Execution order">
                <ExecutionOrderPanel
                  text={text}
                  cursorOffset={cursorOffset}
                  title=""
                  onSelect={(range) => editorRef.current?.revealPosition(range.startLineNumber, range.startColumn)}
                />
              </Card>
            ) : null}
            <Card title="Recipes">
              <RecipesPanel cluster={cluster} text={text} onApplyEdits={applyStructuredEdits} onUndo={() => editorRef.current?.undo()} />
            </Card>
          </div>
        </div>
      </div>
    </div>
  );
}

function initialNotice(draft: DraftProps | null, live: LiveState, isConfigMapMissing: boolean): Notice {
  if (isConfigMapMissing) {
    return {
      tone: "warning",
      title: "The CoreDNS ConfigMap does not exist",
      body: "The editor starts from the kubeadm default. Applying creates the ConfigMap with this Corefile.",
    };
  }
  if (!draft) return null;
  const when = new Date(draft.updatedAt).toLocaleString();
  if (live && draft.baseResourceVersion !== live.resourceVersion) {
    return {
      tone: "warning",
      title: `Your draft from ${when} is restored, but the live Corefile changed since`,
      body: "Applying will show both changes side by side so you can merge them, or use “Pull live into draft”.",
    };
  }
  return { tone: "info", title: `Your draft from ${when} is restored`, body: "Discard it to start again from the live Corefile." };
}

function describeDraftStatus(status: DraftStatus, hasChanges: boolean): string {
  switch (status) {
    case "none":
      return hasChanges ? "Not saved" : "No changes";
    case "unsaved":
      return "Unsaved changes";
    case "saving":
      return "Saving draft…";
    case "saved":
      return "Draft saved";
    case "error":
      return "Draft not saved";
  }
}

/** The apply notice's live rollout line; a rejection offers to put the previous revision back after a confirmation. */
function AppliedRolloutLine({ cluster, applied }: { cluster: string; applied: AppliedRollout }) {
  const router = useRouter();
  const previous = applied.previous;
  return (
    <LiveRollout
      key={applied.revisionId}
      cluster={cluster}
      revisionId={applied.revisionId}
      readStatus={readRolloutStatusAction}
      rollback={
        previous
          ? {
              previousRevisionId: previous.id,
              previousRevisionNumber: previous.number,
              rollBack: async () => {
                const result = await rollbackAction({
                  cluster,
                  revisionId: previous.id,
                  baseResourceVersion: applied.resourceVersion,
                  message: `Roll back to revision ${previous.number}: the pods rejected the change`,
                });
                if (result.ok) {
                  router.push(`/history/${result.revision.id}?restored=1`);
                  return;
                }
                return { ok: false, message: result.message };
              },
            }
          : null
      }
    />
  );
}
