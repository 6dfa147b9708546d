#pragma once
// The one durable-write toolkit. A write is durable once the file's bytes AND the directory entry
// naming it are on disk: fsync of the file alone leaves a rename that a power loss can undo.
// Every failure (open, write, fsync, rename) throws IoError naming the path and the errno text,
// so a full disk is reported as the server's fault, never swallowed.
#include <sys/types.h>

#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

namespace apiary {

std::string read_file(const std::filesystem::path& path);  // throws Error naming the path

// An open file descriptor, closed when it dies. Opening throws IoError naming the path.
class FileDescriptor {
public:
    FileDescriptor(const std::filesystem::path& path, int flags, mode_t mode = 0);
    // A new file next to `target` under a temp_sibling() name, opened O_CREAT|O_EXCL|O_NOFOLLOW
    // with mode 0600, for writing.
    static FileDescriptor create_temp_sibling(const std::filesystem::path& target);
    ~FileDescriptor();
    FileDescriptor(FileDescriptor&& other) noexcept;
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    FileDescriptor& operator=(FileDescriptor&&) = delete;
    int get() const { return fd_; }
    const std::filesystem::path& path() const { return path_; }

    void write_all(std::string_view bytes);  // retries short writes and EINTR
    void sync();                             // fsync
    // Closes now, reporting an error (some filesystems report a failed write only here). A file
    // is closed before it is renamed into place, so that watchers see its final name only once.
    void close();

private:
    FileDescriptor(int fd, std::filesystem::path path) : fd_(fd), path_(std::move(path)) {}
    int fd_;
    std::filesystem::path path_;
};

// fsync of an existing file or directory.
void sync_path(const std::filesystem::path& path);
// fsync of the directory holding `path`: what makes a create, rename or unlink of it durable.
void sync_parent(const std::filesystem::path& path);
// Renames and syncs the destination's directory (and the source's, when it is another one).
void rename_durably(const std::filesystem::path& from, const std::filesystem::path& to);
// Puts the directory `staged` (complete, its files synced) at `target` as one step: the first
// time a rename; after that an atomic exchange (renameat2 RENAME_EXCHANGE), so `target` always
// names a whole directory, the old or the new, even across a power loss. The old one is then
// removed. Both must be in the same directory.
void replace_directory_durably(const std::filesystem::path& staged, const std::filesystem::path& target);
// create_directories whose new entries are durable: each directory created is synced into its
// parent. Returns whether anything was created. `mode` applies to the new directories.
bool create_directories_durably(const std::filesystem::path& dir, mode_t mode = 0700);

// A fresh, unpredictable name next to `path` (".<name>.tmp.<random hex>"): never a name an
// attacker could plant a symlink at in advance.
std::filesystem::path temp_sibling(const std::filesystem::path& path);

// Readers see the old content or the new, never a torn file, and the new content survives a
// power loss once this returns: a unique temporary opened O_CREAT|O_EXCL|O_NOFOLLOW (mode 0600),
// written, fsynced, renamed over `path`, then the directory fsynced. Parent folders are created.
void write_file_atomic(const std::filesystem::path& path, std::string_view content);

// The same for a writer that needs a file name rather than bytes (torch::save): `write` fills the
// temporary (already created, O_EXCL and never through a symlink), which is then fsynced, renamed
// over `path` and its directory fsynced. The temporary is removed if anything throws.
void write_file_atomic_with(const std::filesystem::path& path,
                            const std::function<void(const std::filesystem::path& temporary)>& write);

// Copies `from` to `to` the same way (temporary sibling + rename); parent folders are created.
// With durable = false neither the data nor the directory is synced: callers copying many files
// sync once at the end (sync_filesystem) instead of once per file.
void copy_file_atomic(const std::filesystem::path& from, const std::filesystem::path& to, bool durable = true);

// Flushes everything written to the filesystem holding `path` (syncfs); IoError if it fails.
void sync_filesystem(const std::filesystem::path& path);

}  // namespace apiary
