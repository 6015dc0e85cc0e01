-- History filters: by author and by source, newest first, without scanning the cluster's whole history.
CREATE INDEX "Revision_clusterId_author_number_idx" ON "Revision"("clusterId", "author", "number");
CREATE INDEX "Revision_clusterId_source_number_idx" ON "Revision"("clusterId", "source", "number");

-- Text search over a revision's message, author and Corefile: an FTS5 trigram index, so any substring of three
-- or more characters ("10.0.0.53", "linkerd", "fallthrough") is found through the index. Prisma does not know
-- this table; lib/revisions queries it with SQL and the triggers below keep it in step with "Revision". A search
-- row shares its rowid with its revision's row, so that an update or delete finds it without a scan (Coredeck never
-- runs VACUUM, the one thing that could renumber rowids; searches join on "revisionId" and stay right regardless).
CREATE VIRTUAL TABLE "RevisionSearch" USING fts5(
  "revisionId" UNINDEXED,
  "author",
  "message",
  "text",
  tokenize = 'trigram'
);

CREATE TRIGGER "Revision_search_insert" AFTER INSERT ON "Revision" BEGIN
  INSERT INTO "RevisionSearch" ("rowid", "revisionId", "author", "message", "text") VALUES (new."rowid", new."id", new."author", new."message", new."text");
END;

CREATE TRIGGER "Revision_search_update" AFTER UPDATE OF "author", "message", "text" ON "Revision" BEGIN
  DELETE FROM "RevisionSearch" WHERE "rowid" = old."rowid";
  INSERT INTO "RevisionSearch" ("rowid", "revisionId", "author", "message", "text") VALUES (new."rowid", new."id", new."author", new."message", new."text");
END;

CREATE TRIGGER "Revision_search_delete" AFTER DELETE ON "Revision" BEGIN
  DELETE FROM "RevisionSearch" WHERE "rowid" = old."rowid";
END;
