"use client";

/**
 * The plain-text side of CorefileEditor: a native <textarea> for anyone Monaco does not serve (screen readers, no
 * WebGL, a slow device). Tab moves focus as everywhere else on the page; diagnostics are listed below it by the wrapper.
 */
import { useEffect, useRef } from "react";
import { applyEdits } from "@/lib/corefile/text-edit";
import type { InnerEditorHandle, InnerEditorProps } from "./types";

/** Matches the textarea's `leading-5` (20 px): used to scroll a line into view. */
const LINE_HEIGHT_PX = 20;

export function PlainCorefileEditor(props: InnerEditorProps) {
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const latest = useRef(props);
  useEffect(() => {
    latest.current = props;
  });

  useEffect(() => {
    const textarea = textareaRef.current;
    if (!textarea) return;
    const replaceValue = (text: string, caret: number) => {
      textarea.value = text;
      textarea.setSelectionRange(caret, caret);
      latest.current.onTextChange(text);
    };
    const handle: InnerEditorHandle = {
      setText(text) {
        if (text !== textarea.value) replaceValue(text, Math.min(textarea.selectionStart, text.length));
      },
      applyEdits(edits) {
        if (edits.length === 0) return;
        const caret = textarea.selectionStart;
        // Keep the caret where it was relative to the text around it.
        const shift = edits.reduce((sum, e) => (e.end <= caret ? sum + e.newText.length - (e.end - e.start) : sum), 0);
        replaceValue(applyEdits(textarea.value, edits), Math.max(0, caret + shift));
      },
      revealPosition(line, column, end) {
        const lines = textarea.value.split("\n");
        const offsetOf = (l: number, c: number) => {
          let offset = 0;
          for (let i = 0; i < l - 1 && i < lines.length; i++) offset += (lines[i]?.length ?? 0) + 1;
          return Math.min(textarea.value.length, offset + c - 1);
        };
        const offset = offsetOf(line, column);
        textarea.focus();
        textarea.setSelectionRange(offset, end ? Math.max(offset, offsetOf(end.line, end.column)) : offset);
        textarea.scrollTop = Math.max(0, (line - 3) * LINE_HEIGHT_PX);
        latest.current.onCursorOffsetChange(offset);
      },
      focus() {
        textarea.focus();
      },
      // A textarea's own history does not cover changes made from script; Ctrl+Z in the text still works for typing.
      undo: () => false,
      redo: () => false,
      showDiagnostics() {
        // The wrapper lists diagnostics under the textarea.
      },
    };
    latest.current.onReady(handle);
    return () => latest.current.onReady(null);
  }, []);

  return (
    <textarea
      ref={textareaRef}
      defaultValue={props.defaultValue}
      aria-label={props.ariaLabel}
      aria-describedby={props.describedBy}
      readOnly={props.readOnly}
      spellCheck={false}
      autoCapitalize="off"
      autoComplete="off"
      autoCorrect="off"
      wrap="off"
      style={{ height: props.height }}
      data-testid="corefile-plain-editor"
      onInput={(e) => latest.current.onTextChange(e.currentTarget.value)}
      onSelect={(e) => latest.current.onCursorOffsetChange(e.currentTarget.selectionStart)}
      className="block w-full resize-y bg-white p-3 font-mono text-[13px] leading-5 text-slate-900 [tab-size:4] focus-visible:outline-2 focus-visible:-outline-offset-2 dark:bg-slate-900 dark:text-slate-100"
    />
  );
}
