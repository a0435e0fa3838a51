//! Opening the repository the way git's hooks see it.
//!
//! `discover_with_environment_overrides` honours `GIT_DIR`, `GIT_WORK_TREE`,
//! `GIT_INDEX_FILE` (git points it at `index.lock` for `commit -a` and at a temporary
//! `next-index-*.lock` for `commit <paths>`), `GIT_COMMON_DIR`, linked worktrees and
//! submodule gitfiles. Nothing here writes to the repository or takes a lock.

use std::path::{Path, PathBuf};

use gix::ObjectId;
use gix::bstr::BString;
use gix::objs::tree::EntryKind;

use crate::Error;

/// A repository opened for reading.
pub struct Repo {
    pub(crate) repo: gix::Repository,
}

impl Repo {
    /// Finds the repository containing `dir`, honouring git's environment variables.
    pub fn discover(dir: &Path) -> Result<Repo, Error> {
        let repo = gix::ThreadSafeRepository::discover_with_environment_overrides(dir)
            .map_err(|e| Error::git(&format!("no git repository at or above {}", dir.display()), e))?
            .to_thread_local();
        Ok(Repo { repo })
    }

    /// Keeps recently read objects in memory: a push or range scan reads each parent's trees
    /// again as the next commit's old side. Not worth it for a single staged scan.
    pub fn cache_objects(&mut self, bytes: usize) {
        self.repo.object_cache_size_if_unset(bytes);
    }

    /// The worktree root, `None` for a bare repository.
    pub fn workdir(&self) -> Option<&Path> {
        self.repo.workdir()
    }

    /// The private git directory (`.git`, or `.git/worktrees/<name>` in a linked worktree).
    pub fn git_dir(&self) -> &Path {
        self.repo.git_dir()
    }

    /// The directory shared by all worktrees (where `hooks/` and `config` live).
    pub fn common_dir(&self) -> &Path {
        self.repo.common_dir()
    }

    /// The index file in effect (`GIT_INDEX_FILE` when set).
    pub fn index_path(&self) -> PathBuf {
        self.repo.index_path()
    }

    /// The directory git runs hooks from: `core.hooksPath` (relative values are relative to
    /// the worktree root, as git resolves them for hooks), else `<common-dir>/hooks` — never
    /// the per-worktree git dir, which git does not read hooks from.
    pub fn hooks_dir(&self) -> Result<PathBuf, Error> {
        let configured = self
            .repo
            .config_snapshot()
            .trusted_path("core.hooksPath")
            .map_err(|e| Error::git("core.hooksPath", e))?;
        Ok(match configured {
            Some(path) if path.is_absolute() => path,
            Some(path) => self.workdir().unwrap_or_else(|| self.git_dir()).join(path),
            None => self.common_dir().join("hooks"),
        })
    }

    /// The index git is committing (`GIT_INDEX_FILE` when set), `None` when there is none
    /// yet. Like git, and unlike gix's default, the trailing checksum is not verified: git
    /// only checks it in `git fsck`, and hashing a large index would double the hook's cost.
    pub fn read_index(&self) -> Result<Option<gix::index::File>, Error> {
        let path = self.index_path();
        match gix::index::File::at(
            &path,
            self.repo.object_hash(),
            true,
            gix::index::decode::Options::default(),
        ) {
            Ok(file) => Ok(Some(file)),
            Err(_) if !path.exists() => Ok(None),
            Err(e) => Err(Error::git(&format!("reading the index {}", path.display()), e)),
        }
    }

    /// The tree of `HEAD`, `None` when HEAD is unborn (the first commit).
    pub fn head_tree(&self) -> Result<Option<ObjectId>, Error> {
        let head = self.repo.head().map_err(|e| Error::git("reading HEAD", e))?;
        if head.is_unborn() {
            return Ok(None);
        }
        let id = self
            .repo
            .head_tree_id()
            .map_err(|e| Error::git("peeling HEAD to a tree", e))?;
        Ok(Some(id.detach()))
    }

    /// The commit HEAD points at, `None` when unborn.
    pub fn head_commit(&self) -> Result<Option<ObjectId>, Error> {
        let mut head = self.repo.head().map_err(|e| Error::git("reading HEAD", e))?;
        if head.is_unborn() {
            return Ok(None);
        }
        let commit = head.peel_to_commit().map_err(|e| Error::git("peeling HEAD", e))?;
        Ok(Some(commit.id))
    }

    /// The commit a revision (`main`, `v1.2`, `HEAD~3`, an id) names.
    pub fn resolve_commit(&self, spec: &str) -> Result<ObjectId, Error> {
        let id = self
            .repo
            .rev_parse_single(spec)
            .map_err(|e| Error::git(&format!("`{spec}` is not a revision here"), e))?;
        let object = id.object().map_err(|e| Error::git(&format!("reading {spec}"), e))?;
        let commit = object
            .peel_to_commit()
            .map_err(|e| Error::git(&format!("`{spec}` is not a commit"), e))?;
        Ok(commit.id)
    }

    /// The tree of a commit.
    pub fn commit_tree(&self, id: ObjectId) -> Result<ObjectId, Error> {
        let commit = self
            .repo
            .find_commit(id)
            .map_err(|e| Error::git(&format!("reading commit {id}"), e))?;
        let tree = commit
            .tree_id()
            .map_err(|e| Error::git(&format!("reading the tree of {id}"), e))?;
        Ok(tree.detach())
    }

    /// The trees of the commits being merged in (`MERGE_HEAD`), empty outside a merge.
    pub fn merge_head_trees(&self) -> Result<Vec<ObjectId>, Error> {
        let path = self.git_dir().join("MERGE_HEAD");
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => return Err(Error::Io { path, source }),
        };
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(|hex| {
                let id = ObjectId::from_hex(hex.as_bytes())
                    .map_err(|e| Error::git(&format!("{}: bad object id {hex:?}", path.display()), e))?;
                let commit = self
                    .repo
                    .find_commit(id)
                    .map_err(|e| Error::git("reading MERGE_HEAD", e))?;
                let tree = commit
                    .tree_id()
                    .map_err(|e| Error::git("reading MERGE_HEAD's tree", e))?;
                Ok(tree.detach())
            })
            .collect()
    }

    /// The blob at `path` in `tree`, if there is a blob (or symlink) there.
    pub fn blob_at(&self, tree: ObjectId, path: &str) -> Result<Option<ObjectId>, Error> {
        let tree = self.repo.find_tree(tree).map_err(|e| Error::git("reading a tree", e))?;
        let entry = tree
            .lookup_entry(path.split('/'))
            .map_err(|e| Error::git(&format!("looking up {path}"), e))?;
        Ok(entry.filter(|e| e.mode().is_blob_or_symlink()).map(|e| e.object_id()))
    }

    /// The entries of a tree: name, id and kind, in git's tree order.
    pub(crate) fn tree_entries(&self, id: ObjectId) -> Result<Vec<(BString, ObjectId, EntryKind)>, Error> {
        let tree = self
            .repo
            .find_tree(id)
            .map_err(|e| Error::git(&format!("reading tree {id}"), e))?;
        let decoded = tree
            .decode()
            .map_err(|e| Error::git(&format!("decoding tree {id}"), e))?;
        Ok(decoded
            .entries
            .iter()
            .map(|e| (e.filename.to_owned(), e.oid.to_owned(), e.mode.kind()))
            .collect())
    }

    /// The size of an object without inflating it.
    pub fn object_size(&self, id: ObjectId) -> Result<u64, Error> {
        let header = self
            .repo
            .find_header(id)
            .map_err(|e| Error::git(&format!("reading object {id}"), e))?;
        Ok(header.size())
    }

    /// The bytes of a blob.
    pub fn blob(&self, id: ObjectId) -> Result<Vec<u8>, Error> {
        let mut blob = self
            .repo
            .find_blob(id)
            .map_err(|e| Error::git(&format!("reading blob {id}"), e))?;
        Ok(blob.take_data())
    }
}
