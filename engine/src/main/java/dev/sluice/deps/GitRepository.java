package dev.sluice.deps;

import dev.sluice.error.ConfigException;
import dev.sluice.error.SourceLocation;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.errors.RevisionSyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A git package's repository, read with JGit: a URL (https, ssh), a file:// URL or a plain folder path, so no
 * git binary is needed. Clones go to a scratch folder the caller deletes.
 */
final class GitRepository {
    private final String url;
    private final SourceLocation location;

    GitRepository(String url, SourceLocation location) {
        this.url = url;
        this.location = location;
    }

    /** Tag names of the repository, without refs/tags/. */
    List<String> tags() {
        try {
            Collection<Ref> refs = Git.lsRemoteRepository().setRemote(url).setTags(true).setHeads(false).call();
            List<String> out = new ArrayList<>();
            for (Ref r : refs) {
                String name = r.getName();
                if (name.startsWith(Constants.R_TAGS) && !name.endsWith("^{}")) out.add(name.substring(Constants.R_TAGS.length()));
            }
            return out;
        } catch (GitAPIException | RuntimeException e) {
            throw unreachable(e);
        }
    }

    /**
     * Clones into dir and checks out revision (a tag, branch or commit; the default branch when null).
     *
     * @return the commit checked out (40 hex digits)
     */
    String checkout(Path dir, String revision) {
        try (Git git = Git.cloneRepository().setURI(url).setDirectory(dir.toFile()).setNoCheckout(true)
                .setCloneAllBranches(true).call()) {
            Repository repo = git.getRepository();
            ObjectId commit = resolve(repo, revision);
            if (commit == null) {
                throw new ConfigException("revision '" + revision + "' of git package " + url + " is not a tag, branch "
                        + "or commit of that repository", location);
            }
            // A scratch clone: moving its branch to the commit is the simplest way to get that tree on disk.
            git.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(commit.getName()).call();
            return commit.getName();
        } catch (GitAPIException | IOException e) {
            throw unreachable(e);
        } catch (org.eclipse.jgit.api.errors.JGitInternalException e) {
            throw unreachable(e);
        }
    }

    private static ObjectId resolve(Repository repo, String revision) throws IOException {
        if (revision == null || revision.equals("HEAD")) return peel(repo, repo.resolve(Constants.HEAD));
        for (String candidate : List.of(Constants.R_TAGS + revision, Constants.R_REMOTES + "origin/" + revision,
                Constants.R_HEADS + revision)) {
            Ref ref = repo.exactRef(candidate);
            if (ref != null) return peel(repo, ref.getObjectId());
        }
        if (revision.matches("[0-9a-fA-F]{4,40}")) {
            try {
                return peel(repo, repo.resolve(revision + "^{commit}"));
            } catch (RevisionSyntaxException | org.eclipse.jgit.errors.AmbiguousObjectException e) {
                return null;
            } catch (org.eclipse.jgit.errors.MissingObjectException | org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
                return null;
            }
        }
        return null;
    }

    /** An annotated tag's commit. */
    private static ObjectId peel(Repository repo, ObjectId id) throws IOException {
        if (id == null) return null;
        try (RevWalk walk = new RevWalk(repo)) {
            RevCommit c = walk.parseCommit(id);
            return c.getId();
        } catch (org.eclipse.jgit.errors.MissingObjectException | org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
            return null;
        }
    }

    private ConfigException unreachable(Exception e) {
        String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return new ConfigException("cannot read git package " + url + ": " + why, location, e);
    }
}
