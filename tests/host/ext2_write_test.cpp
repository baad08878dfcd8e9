// tests/host/ext2_write_test.cpp -- ext2's write side (fs/ext2/), driven
// through the VFS like a program would, judged by a model and by the host's
// e2fsck and debugfs.
//
// What is tested:
//   Ext2Write/RandomOperations.*   per image kind (1, 2 and 4 KiB blocks,
//       revision 0, 128-byte inodes, no filetype, Debian's ext2 defaults with
//       hash-indexed directories), made by mke2fs -d from the fixture tree:
//       a seeded random sequence of writes, truncates, create, mkdir, rmdir,
//       unlink, link, symlink and rename, each result (success or errno)
//       equal to the model's; an unmount and mount in the middle, after which
//       the whole tree reads back equal to the model; at the end e2fsck -fn
//       clean and debugfs (listings, link counts, sizes, rdump bytes, symlink
//       targets) equal to the model.
//   Ext2WriteLimits.*  full disk (ENOSPC for blocks and for inodes, what was
//       written before reads back, deleting gives every block and inode
//       back, failed calls take nothing), ENAMETOOLONG, EMLINK at 32,000
//       links, EFBIG past the block map's reach, an indexed directory after
//       changes (removed files giving their space back, open files and
//       set-group-ID directories: ext2_write_files_test.cpp).
//   After every unmount, statfs's free counts from just before equal the
//   superblock's; after sync alone (still mounted) e2fsck finds it clean.
//   Ext2WriteHarness.*  the judges themselves: the model agrees with the
//       host's Linux on the same random sequence; the checkers accept every
//       untouched image and notice each kind of difference.
//
// Run one group with --gtest_filter='Ext2Write*'. EXT2_WRITE_SEED=<n> repeats
// a sequence (the seed is printed with every failure); EXT2_WRITE_OPERATIONS
// changes its length.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "tests/host/support/ext2_fixture.h"
#include "tests/host/support/ext2_model.h"
#include "tests/host/support/ext2_operations.h"
#include "tests/host/support/ext2_write_support.h"
#include "tests/host/support/vfs_test_support.h"

namespace {

using ext2_model::Model;
using ext2_model::NodeKind;
using ext2_test::check_image;
using ext2_test::empty_model;
using ext2_test::fill_disk;
using ext2_test::pattern_bytes;
using ext2_test::statfs_of;
using ext2_test::unmount_keeping_counts;
using ext2_test::write_once;
using ext2_test::make_image;
using ext2_test::VfsTarget;
using ext2_test::WritableExt2Mount;

const Credentials ROOT = Credentials::root();

struct WriteImageConfig {
    const char* name;
    const char* mke2fs_flags;
    uint32_t block_size;
    uint64_t seed;
    bool build_directory_indexes;
};

const WriteImageConfig CONFIGS[] = {
    {"block_1k", "-b 1024", 1024, 1001, false},
    {"block_2k", "-b 2048", 2048, 2002, false},
    {"block_4k", "-b 4096", 4096, 4004, false},
    {"revision_0", "-b 1024 -r 0", 1024, 5005, false},
    {"inode_128", "-b 1024 -I 128", 1024, 6006, false},
    {"no_filetype", "-b 2048 -O ^filetype", 2048, 7007, false},
    {"debian_indexed", "-b 1024 -O none,sparse_super,large_file,filetype,resize_inode,dir_index,ext_attr", 1024, 8008,
     true},
};

void PrintTo(const WriteImageConfig& config, std::ostream* out) { *out << config.name; }

uint64_t environment_number(const char* name, uint64_t fallback) {
    const char* text = std::getenv(name);
    return text != nullptr && *text != '\0' ? std::strtoull(text, nullptr, 10) : fallback;
}

std::string joined(const std::vector<std::string>& lines) {
    std::string text;
    for (const std::string& line : lines) text += "  " + line + "\n";
    return text;
}

// The fixture tree as an image of this kind, private to the caller.
std::string image_of_fixture(const WriteImageConfig& config) {
    std::string image = make_image(std::string("fixture_") + config.name, std::string("-N 4096 ") + config.mke2fs_flags,
                                   ext2_test::source_tree().root, "24M");
    if (!image.empty() && config.build_directory_indexes)
        ext2_test::run_command("/sbin/e2fsck -fyD " + image + " >/dev/null 2>&1");
    return image;
}

std::unique_ptr<Model> fixture_model() { return Model::from_host_tree(ext2_test::source_tree().root); }

// --- random sequences on every kind of image ---------------------------------------

class RandomOperations : public ::testing::TestWithParam<WriteImageConfig> {};

TEST_P(RandomOperations, MatchTheModelThroughARemountAndLeaveACleanImage) {
    const WriteImageConfig& config = GetParam();
    uint64_t seed = environment_number("EXT2_WRITE_SEED", config.seed);
    int operations = int(environment_number("EXT2_WRITE_OPERATIONS", 3000));
    SCOPED_TRACE("image " + std::string(config.name) + ", seed " + std::to_string(seed));
    std::string image = image_of_fixture(config);
    ASSERT_FALSE(image.empty());
    std::unique_ptr<Model> model = fixture_model();
    ext2_model::GeneratorLimits limits;
    limits.block_size = config.block_size;
    limits.triple_indirect_write = config.block_size == 1024;
    ext2_model::OperationGenerator generator(seed, limits);
    {
        WritableExt2Mount mount;
        ASSERT_EQ(mount.mount(image), 0);
        VfsTarget target(mount);
        int half = operations / 2;
        ext2_model::SequenceReport first = ext2_model::run_sequence(*model, target, generator, 0, half, operations, seed);
        ASSERT_EQ(first.failure, "");
        generator.close_handles(*model, target);
        // Through the caches to the image and back: nothing may be lost.
        // sync alone brings the image to a consistent state (still mounted).
        ASSERT_EQ(error_of(mount.mount_namespace().sync_all()), 0);
        ext2_test::FsckResult synced = ext2_test::e2fsck(image);
        EXPECT_TRUE(synced.clean()) << "after sync, still mounted (seed " << seed << "):\n" << synced.output;
        {
            SCOPED_TRACE("the unmount in the middle");
            ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
        }
        std::vector<std::string> midway = check_image(image, *model);
        ASSERT_TRUE(midway.empty()) << "after " << half << " operations (seed " << seed << "):\n" << joined(midway);
        ASSERT_EQ(mount.mount(image), 0);
        std::vector<std::string> remounted = ext2_model::verify_tree(*model, target);
        ASSERT_TRUE(remounted.empty()) << "after the remount (seed " << seed << "):\n" << joined(remounted);
        ext2_model::SequenceReport second =
            ext2_model::run_sequence(*model, target, generator, half, operations - half, operations, seed);
        ASSERT_EQ(second.failure, "");
        generator.close_handles(*model, target);
        EXPECT_GT(first.failed_as_predicted + second.failed_as_predicted, operations / 20);
        if (std::getenv("EXT2_WRITE_VERBOSE"))
            std::printf("%s, seed %llu: %s | %s\n", config.name, (unsigned long long)seed, first.summary().c_str(),
                        second.summary().c_str());
        ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
    }
    std::vector<std::string> failures = check_image(image, *model);
    EXPECT_TRUE(failures.empty()) << "at the end (seed " << seed << "):\n" << joined(failures);
}

INSTANTIATE_TEST_SUITE_P(Ext2Write, RandomOperations, ::testing::ValuesIn(CONFIGS),
                         [](const ::testing::TestParamInfo<WriteImageConfig>& info) { return std::string(info.param.name); });

// Small disks that fill up again and again: the model cannot tell when, so a
// change refused with ENOSPC is accepted (run_sequence's disk_may_fill);
// everything else, and the image at the end, must still match. This is
// where the paths that undo half-done allocations run.
TEST(Ext2WriteFullDisk, RandomOperationsOnSmallDisksThatFillUp) {
    struct Small {
        const char* name;
        const char* flags;
        const char* size;
        uint32_t block_size;
    };
    for (const Small& disk : {Small{"small_1k", "-b 1024 -N 96", "1536K", 1024},
                              Small{"small_4k", "-b 4096 -N 64", "3M", 4096}}) {
        uint64_t seed = environment_number("EXT2_WRITE_SEED", 4242);
        int operations = int(environment_number("EXT2_WRITE_OPERATIONS", 3000)) / 2;
        SCOPED_TRACE(std::string(disk.name) + ", seed " + std::to_string(seed));
        std::string image = make_image(disk.name, disk.flags, "", disk.size);
        ASSERT_FALSE(image.empty());
        std::unique_ptr<Model> model = empty_model();
        ext2_model::GeneratorLimits limits;
        limits.block_size = disk.block_size;
        limits.space_budget = 64u << 20;  // never: the disk is what stops the writes
        limits.node_budget = 100000;
        limits.triple_indirect_write = disk.block_size == 1024;
        ext2_model::OperationGenerator generator(seed, limits);
        WritableExt2Mount mount;
        ASSERT_EQ(mount.mount(image), 0);
        VfsTarget target(mount);
        int half = operations / 2;
        ext2_model::SequenceReport first =
            ext2_model::run_sequence(*model, target, generator, 0, half, operations, seed, true);
        ASSERT_EQ(first.failure, "");
        generator.close_handles(*model, target);
        ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
        std::vector<std::string> failures = check_image(image, *model);
        ASSERT_TRUE(failures.empty()) << "in the middle:\n" << joined(failures);
        ASSERT_EQ(mount.mount(image), 0);
        ext2_model::SequenceReport second =
            ext2_model::run_sequence(*model, target, generator, half, operations - half, operations, seed, true);
        ASSERT_EQ(second.failure, "");
        generator.close_handles(*model, target);
        EXPECT_GT(first.out_of_space + second.out_of_space, 20) << "the disk filled up";
        if (std::getenv("EXT2_WRITE_VERBOSE"))
            std::printf("%s, seed %llu: %d refused for space; %s\n", disk.name, (unsigned long long)seed,
                        first.out_of_space + second.out_of_space, second.summary().c_str());
        ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
        failures = check_image(image, *model);
        EXPECT_TRUE(failures.empty()) << "at the end:\n" << joined(failures);
    }
}

// --- the harness, checked on its own -------------------------------------------------

TEST(Ext2WriteHarness, ModelAgreesWithTheHostKernelOnTheSameSequence) {
    std::string folder = ext2_test::scratch_directory() + "/host_tree";
    std::filesystem::remove_all(folder);
    std::filesystem::copy(ext2_test::source_tree().root, folder,
                          std::filesystem::copy_options::recursive | std::filesystem::copy_options::copy_symlinks);
    // copy() does not keep hard links: the model is made from the copy itself.
    std::unique_ptr<Model> model = Model::from_host_tree(folder);
    ASSERT_EQ(::mkdir((folder + "/lost+found").c_str(), 0700), 0);
    ext2_model::HostTarget target(folder);
    ASSERT_TRUE(ext2_model::verify_tree(*model, target).empty());
    ext2_model::GeneratorLimits limits;
    limits.triple_indirect_write = true;
    uint64_t seed = environment_number("EXT2_WRITE_SEED", 99);
    int operations = int(environment_number("EXT2_WRITE_OPERATIONS", 3000));
    ext2_model::OperationGenerator generator(seed, limits);
    ext2_model::SequenceReport report = ext2_model::run_sequence(*model, target, generator, 0, operations, operations, seed);
    ASSERT_EQ(report.failure, "");
    generator.close_handles(*model, target);
    std::vector<std::string> failures = ext2_model::verify_tree(*model, target);
    EXPECT_TRUE(failures.empty()) << joined(failures);
    // The sequence reaches every error it is meant to provoke.
    for (int error : {ENOENT, EEXIST, ENOTDIR, EISDIR, ENOTEMPTY, EINVAL, EPERM})
        EXPECT_GT(report.errors_seen[error], 0) << ext2_model::errno_name(error);
    std::filesystem::remove_all(folder);
}

class CheckersOnUntouchedImages : public ::testing::TestWithParam<WriteImageConfig> {};

TEST_P(CheckersOnUntouchedImages, AcceptTheImageAndItsMount) {
    std::string image = image_of_fixture(GetParam());
    ASSERT_FALSE(image.empty());
    std::unique_ptr<Model> model = fixture_model();
    std::vector<std::string> failures = check_image(image, *model);
    EXPECT_TRUE(failures.empty()) << joined(failures);
    WritableExt2Mount mount;
    ASSERT_EQ(mount.mount(image), 0);
    VfsTarget target(mount);
    failures = ext2_model::verify_tree(*model, target);
    EXPECT_TRUE(failures.empty()) << joined(failures);
    ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
    EXPECT_TRUE(ext2_test::e2fsck(image).clean());
}

INSTANTIATE_TEST_SUITE_P(Ext2WriteHarness, CheckersOnUntouchedImages, ::testing::ValuesIn(CONFIGS),
                         [](const ::testing::TestParamInfo<WriteImageConfig>& info) { return std::string(info.param.name); });

bool any_contains(const std::vector<std::string>& lines, const std::string& part) {
    for (const std::string& line : lines)
        if (line.find(part) != std::string::npos) return true;
    return false;
}

TEST(Ext2WriteHarness, CheckersNoticeEachKindOfDifference) {
    std::string image = image_of_fixture(CONFIGS[0]);
    ASSERT_FALSE(image.empty());
    std::unique_ptr<Model> model = fixture_model();
    ASSERT_EQ(model->write("/files/size_4096", 100, {0x5A}), 0);       // one byte
    ASSERT_EQ(model->truncate("/files/size_1023", 1000), 0);            // a size
    ASSERT_EQ(model->create("/extra", true), 0);                        // a name too many
    ASSERT_EQ(model->unlink("/nested/a/linked_too"), 0);                // a name missing, a link count
    ASSERT_EQ(model->mkdir("/empty_dir/sub"), 0);                       // a directory's link count
    model->find("/links/slow_60")->target += "x";                       // a symlink target
    std::vector<std::string> failures = check_image(image, *model, 100);
    EXPECT_TRUE(any_contains(failures, "/files/size_4096 differs from the model at byte 100")) << joined(failures);
    EXPECT_TRUE(any_contains(failures, "stat /files/size_1023: Size: 1023, model 1000")) << joined(failures);
    EXPECT_TRUE(any_contains(failures, "an entry the model does not have: 'linked_too'")) << joined(failures);
    EXPECT_TRUE(any_contains(failures, "ls -p /: missing 'extra'")) << joined(failures);
    EXPECT_TRUE(any_contains(failures, "stat /linked: Links: 3, model 2")) << joined(failures);
    EXPECT_TRUE(any_contains(failures, "stat /empty_dir: Links: 2, model 3")) << joined(failures);
    EXPECT_TRUE(any_contains(failures, "symlink /links/slow_60 has another target")) << joined(failures);
    WritableExt2Mount mount;
    ASSERT_EQ(mount.mount(image), 0);
    VfsTarget target(mount);
    EXPECT_GE(ext2_model::verify_tree(*model, target, 100).size(), 5u);
    ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
    // A wrong free-blocks count in the superblock: e2fsck -n still exits 0,
    // but asks; then in group 0's descriptor: it fails.
    uint32_t bogus = 1;
    ext2_test::patch_bytes(image, 1024 + 12, &bogus, 4);
    ext2_test::FsckResult fsck = ext2_test::e2fsck(image);
    EXPECT_FALSE(fsck.clean()) << fsck.output;
    EXPECT_TRUE(any_contains(check_image(image, *fixture_model()), "e2fsck -fn exited 0"));
    ext2_test::patch_bytes(image, 2048 + 12, &bogus, 2);
    fsck = ext2_test::e2fsck(image);
    EXPECT_NE(fsck.status, 0) << fsck.output;
}


// --- limits: full disk, long names, many links, huge offsets -------------------------

void expect_clean_and_equal(const std::string& image, const Model& model) {
    std::vector<std::string> failures = check_image(image, model);
    EXPECT_TRUE(failures.empty()) << joined(failures);
}

TEST(Ext2WriteLimits, FullDiskIsEnospcKeepsWhatWasWrittenAndDeletingGivesEverythingBack) {
    std::string image = make_image("full_disk", "-b 1024 -N 64", "", "1M");
    ASSERT_FALSE(image.empty());
    std::unique_ptr<Model> model = empty_model();
    WritableExt2Mount mount;
    ASSERT_EQ(mount.mount(image), 0);
    VfsTarget target(mount);
    linux_abi::statfs64 before = statfs_of(mount);
    std::vector<std::string> files;
    ASSERT_EQ(fill_disk(mount, *model, files), ENOSPC);
    EXPECT_LT(statfs_of(mount).f_bfree, 3u) << "root may use the reserved blocks";
    std::vector<std::string> failures = ext2_model::verify_tree(*model, target);
    EXPECT_TRUE(failures.empty()) << joined(failures);
    ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
    expect_clean_and_equal(image, *model);
    ASSERT_EQ(mount.mount(image), 0);
    for (const std::string& path : files) {
        ASSERT_EQ(target.unlink(path), 0) << path;
        ASSERT_EQ(model->unlink(path), 0);
    }
    EXPECT_EQ(statfs_of(mount).f_bfree, before.f_bfree);
    EXPECT_EQ(statfs_of(mount).f_ffree, before.f_ffree);
    // One write larger than the disk: a short count (or ENOSPC at once),
    // then ENOSPC; what the count says was written is there.
    size_t written = 0;
    int error = write_once(mount, *model, "/big", 0, pattern_bytes(2u << 20, 77), written);
    EXPECT_TRUE((error == 0 && written > 0 && written < (2u << 20)) || (error == ENOSPC && written == 0))
        << ext2_model::errno_name(error) << ", " << written << " bytes";
    EXPECT_EQ(write_once(mount, *model, "/big", written, pattern_bytes(50000, 78), written), ENOSPC);
    // Growing by truncate allocates nothing: it works on a full disk.
    EXPECT_EQ(target.truncate("/big", 10u << 20), 0);
    ASSERT_EQ(model->truncate("/big", 10u << 20), 0);
    failures = ext2_model::verify_tree(*model, target);
    EXPECT_TRUE(failures.empty()) << joined(failures);
    ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
    expect_clean_and_equal(image, *model);
    ASSERT_EQ(mount.mount(image), 0);
    ASSERT_EQ(target.unlink("/big"), 0);
    EXPECT_EQ(statfs_of(mount).f_bfree, before.f_bfree);
    EXPECT_EQ(statfs_of(mount).f_ffree, before.f_ffree);
    ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
    EXPECT_TRUE(ext2_test::e2fsck(image).clean()) << ext2_test::e2fsck(image).output;
}

// On a disk without a free block, every call that needs one fails with
// ENOSPC and leaves the counts as they were: an inode taken for a new
// directory or symlink goes back when its block or its entry cannot be had.
TEST(Ext2WriteLimits, CallsThatFailOnAFullDiskTakeNothing) {
    std::string image = make_image("full_disk_calls", "-b 1024 -N 256", "", "1M");
    ASSERT_FALSE(image.empty());
    std::unique_ptr<Model> model = empty_model();
    WritableExt2Mount mount;
    ASSERT_EQ(mount.mount(image), 0);
    VfsTarget target(mount);
    std::vector<std::string> files;
    ASSERT_EQ(fill_disk(mount, *model, files), ENOSPC);
    // One byte per file takes the last blocks (and the root grows until its
    // next directory block cannot be had).
    int error = 0;
    for (int index = 0; index < 500 && error == 0; ++index) {
        size_t written = 0;
        error = write_once(mount, *model, "/tiny_" + std::to_string(index), 0, {uint8_t(index)}, written);
        if (error == 0 && written != 1) error = ext2_model::SHORT_WRITE;
    }
    EXPECT_EQ(error, ENOSPC);
    linux_abi::statfs64 full = statfs_of(mount);
    EXPECT_EQ(full.f_bfree, 0u);
    auto expect_nothing_taken = [&](const char* call, int got) {
        EXPECT_EQ(got, ENOSPC) << call;
        linux_abi::statfs64 now = statfs_of(mount);
        EXPECT_EQ(now.f_bfree, full.f_bfree) << call;
        EXPECT_EQ(now.f_ffree, full.f_ffree) << call;
    };
    expect_nothing_taken("mkdir", target.mkdir("/directory"));
    expect_nothing_taken("slow symlink", target.symlink(std::string(200, 's'), "/slow"));
    expect_nothing_taken("mkdir in lost+found", target.mkdir("/lost+found/directory"));
    std::string name(200, 'n');
    for (int index = 0; index < 100 && (error = target.create("/" + name + std::to_string(index), true, false)) == 0;
         ++index)
        ASSERT_EQ(model->create("/" + name + std::to_string(index), true), 0);
    full = statfs_of(mount);
    expect_nothing_taken("create once the root directory is full", error);
    expect_nothing_taken("fast symlink once the root directory is full", target.symlink("x", "/" + name + "x"));
    expect_nothing_taken("link once the root directory is full", target.link("/fill_0", "/" + name + "y"));
    ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
    if (std::getenv("KEEP_IMAGE")) ext2_test::run_command("cp " + image + " /dev/shm/kept.img");
    expect_clean_and_equal(image, *model);
}

TEST(Ext2WriteLimits, RunningOutOfInodesIsEnospcAndDeletingGivesThemBack) {
    std::string image = make_image("few_inodes", "-b 1024 -N 32", "", "2M");
    ASSERT_FALSE(image.empty());
    std::unique_ptr<Model> model = empty_model();
    WritableExt2Mount mount;
    ASSERT_EQ(mount.mount(image), 0);
    VfsTarget target(mount);
    linux_abi::statfs64 before = statfs_of(mount);
    ASSERT_GT(before.f_ffree, 5u);
    uint64_t created = 0;
    int error = 0;
    while (created < 1000 && (error = target.create("/file_" + std::to_string(created), true, false)) == 0)
        ASSERT_EQ(model->create("/file_" + std::to_string(created++), true), 0);
    EXPECT_EQ(error, ENOSPC);
    EXPECT_EQ(created, before.f_ffree);
    EXPECT_EQ(statfs_of(mount).f_ffree, 0u);
    EXPECT_EQ(target.mkdir("/directory"), ENOSPC);
    EXPECT_EQ(target.symlink("target", "/link"), ENOSPC);
    EXPECT_EQ(target.link("/file_0", "/file_0_again"), 0) << "a hard link needs no inode";
    ASSERT_EQ(model->link("/file_0", "/file_0_again"), 0);
    ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
    expect_clean_and_equal(image, *model);
    ASSERT_EQ(mount.mount(image), 0);
    for (uint64_t index = 0; index < created; ++index) ASSERT_EQ(target.unlink("/file_" + std::to_string(index)), 0);
    EXPECT_EQ(statfs_of(mount).f_ffree, before.f_ffree - 1) << "file_0_again still holds one";
    ASSERT_EQ(target.unlink("/file_0_again"), 0);
    EXPECT_EQ(statfs_of(mount).f_ffree, before.f_ffree);
    EXPECT_EQ(statfs_of(mount).f_bfree, before.f_bfree);
    ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
    EXPECT_TRUE(ext2_test::e2fsck(image).clean()) << ext2_test::e2fsck(image).output;
}

TEST(Ext2WriteLimits, NamesOf256BytesAreEnametoolongAnd255AreFine) {
    std::string image = make_image("long_names", "-b 1024", "", "2M");
    ASSERT_FALSE(image.empty());
    std::unique_ptr<Model> model = empty_model();
    WritableExt2Mount mount;
    ASSERT_EQ(mount.mount(image), 0);
    VfsTarget target(mount);
    std::string longest = "/" + std::string(255, 'n');
    std::string too_long = "/" + std::string(256, 'n');
    ASSERT_EQ(target.create(longest, true, false), 0);
    ASSERT_EQ(model->create(longest, true), 0);
    EXPECT_EQ(target.create(too_long, true, false), ENAMETOOLONG);
    EXPECT_EQ(target.mkdir(too_long), ENAMETOOLONG);
    EXPECT_EQ(target.symlink("x", too_long), ENAMETOOLONG);
    EXPECT_EQ(target.link(longest, too_long), ENAMETOOLONG);
    EXPECT_EQ(target.rename(longest, too_long), ENAMETOOLONG);
    std::string longest_directory = "/" + std::string(255, 'd');
    ASSERT_EQ(target.mkdir(longest_directory), 0);
    ASSERT_EQ(model->mkdir(longest_directory), 0);
    ASSERT_EQ(target.rename(longest, longest_directory + "/" + std::string(255, 'm')), 0);
    ASSERT_EQ(model->rename(longest, longest_directory + "/" + std::string(255, 'm')), 0);
    ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
    expect_clean_and_equal(image, *model);
}

TEST(Ext2WriteLimits, LinkCountStopsAt32000WithEmlink) {
    std::string image = make_image("many_links", "-b 1024 -N 512", "", "16M");
    ASSERT_FALSE(image.empty());
    WritableExt2Mount mount;
    ASSERT_EQ(mount.mount(image), 0);
    VfsTarget target(mount);
    ASSERT_EQ(target.create("/file", true, false), 0);
    // 160 directories of 200 names: no directory grows long enough to make
    // each new name a long scan.
    for (int directory = 0; directory < 160; ++directory) ASSERT_EQ(target.mkdir("/d" + std::to_string(directory)), 0);
    for (int link = 1; link < 32000; ++link)
        ASSERT_EQ(target.link("/file", "/d" + std::to_string(link / 200) + "/l" + std::to_string(link % 200)), 0) << link;
    ext2_model::TargetStatus status;
    ASSERT_EQ(target.status("/file", status), 0);
    EXPECT_EQ(status.links, 32000u);
    EXPECT_EQ(target.link("/file", "/one_too_many"), EMLINK);
    ASSERT_EQ(target.status("/file", status), 0);
    EXPECT_EQ(status.links, 32000u);
    EXPECT_EQ(target.status("/one_too_many", status), ENOENT);
    ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
    ext2_test::FsckResult fsck = ext2_test::e2fsck(image);
    EXPECT_TRUE(fsck.clean()) << fsck.output;
    EXPECT_NE(ext2_test::debugfs(image, "stat /file").find("Links: 32000"), std::string::npos);
}

// 12 + 256 + 256^2 + 256^3 blocks of 1 KiB: the most the block map reaches
// (Linux's ext2_max_size for 1 KiB blocks).
constexpr uint64_t LARGEST_FILE_AT_1K = (12ull + 256 + 256 * 256 + 256 * 256 * 256) * 1024;

TEST(Ext2WriteLimits, WritingPastTheBlockMapsReachIsEfbig) {
    std::string image = make_image("huge_offsets", "-b 1024", "", "8M");
    ASSERT_FALSE(image.empty());
    WritableExt2Mount mount;
    ASSERT_EQ(mount.mount(image), 0);
    VfsTarget target(mount);
    Model model;
    size_t written = 0;
    ASSERT_EQ(write_once(mount, model, "/huge", 16ull << 30, pattern_bytes(100, 1), written), 0);
    EXPECT_EQ(written, 100u);
    ASSERT_EQ(write_once(mount, model, "/huge", LARGEST_FILE_AT_1K - 10, pattern_bytes(10, 2), written), 0);
    EXPECT_EQ(written, 10u);
    EXPECT_EQ(write_once(mount, model, "/huge", LARGEST_FILE_AT_1K, pattern_bytes(1, 3), written), EFBIG);
    EXPECT_EQ(write_once(mount, model, "/huge", 17ull << 30, pattern_bytes(1, 4), written), EFBIG);
    // A write that crosses the limit stops at it.
    EXPECT_EQ(write_once(mount, model, "/huge", LARGEST_FILE_AT_1K - 4, pattern_bytes(10, 5), written), 0);
    EXPECT_EQ(written, 4u);
    EXPECT_EQ(target.truncate("/huge", LARGEST_FILE_AT_1K + 1), EFBIG);
    ext2_model::TargetStatus status;
    ASSERT_EQ(target.status("/huge", status), 0);
    EXPECT_EQ(status.size, LARGEST_FILE_AT_1K);
    ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
    ASSERT_EQ(mount.mount(image), 0);
    for (uint64_t offset : {uint64_t(16ull << 30), LARGEST_FILE_AT_1K - 10}) {
        std::vector<uint8_t> bytes;
        ASSERT_EQ(target.read("/huge", offset, 100, bytes), 0);
        EXPECT_TRUE(bytes == model.find("/huge")->bytes.read(offset, 100)) << offset;
    }
    ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
    ext2_test::FsckResult fsck = ext2_test::e2fsck(image);
    EXPECT_TRUE(fsck.clean()) << fsck.output;
    EXPECT_NE(ext2_test::debugfs(image, "stat /huge").find("Size: " + std::to_string(LARGEST_FILE_AT_1K)),
              std::string::npos);
}

// A file past 2 GiB needs the superblock's large_file feature (Linux ext2
// sets it, and first moves a revision 0 file system to the dynamic
// revision); without it e2fsck reports the file system as damaged.
TEST(Ext2WriteLimits, AFilePast2GibOnAnImageWithoutLargeFileStaysClean) {
    for (const char* flags : {"-b 1024 -O ^large_file", "-b 1024 -r 0"}) {
        SCOPED_TRACE(flags);
        std::string image = make_image(std::string("small_files_") + (flags[10] == 'O' ? "feature" : "revision_0"),
                                       flags, "", "4M");
        ASSERT_FALSE(image.empty());
        WritableExt2Mount mount;
        ASSERT_EQ(mount.mount(image), 0);
        Model model;
        size_t written = 0;
        ASSERT_EQ(write_once(mount, model, "/big", 3ull << 30, pattern_bytes(100, 31), written), 0);
        EXPECT_EQ(written, 100u);
        ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
        ext2_test::FsckResult fsck = ext2_test::e2fsck(image);
        EXPECT_TRUE(fsck.clean()) << fsck.output;
        EXPECT_NE(ext2_test::debugfs(image, "stat /big").find("Size: " + std::to_string((3ull << 30) + 100)),
                  std::string::npos);
    }
}

uint32_t inode_flags(const std::string& image, const std::string& path) {
    std::string text = ext2_test::debugfs(image, "stat " + path);
    size_t at = text.find("Flags: 0x");
    return at == std::string::npos ? 0xFFFFFFFFu : uint32_t(std::strtoul(text.c_str() + at + 9, nullptr, 16));
}

TEST(Ext2WriteLimits, AnIndexedDirectoryLosesItsIndexFlagWhenChangedAndStaysClean) {
    const uint32_t EXT2_INDEX_FLAG = 0x1000;
    std::string image = image_of_fixture(CONFIGS[6]);
    ASSERT_FALSE(image.empty());
    ASSERT_NE(inode_flags(image, "/many") & EXT2_INDEX_FLAG, 0u) << "e2fsck -D indexed it";
    std::unique_ptr<Model> model = fixture_model();
    WritableExt2Mount mount;
    ASSERT_EQ(mount.mount(image), 0);
    VfsTarget target(mount);
    for (int index = 0; index < 300; ++index) {
        char name[32];
        std::snprintf(name, sizeof name, "/many/entry_%04d", index);
        ASSERT_EQ(target.unlink(name), 0) << name;
        ASSERT_EQ(model->unlink(name), 0);
        std::string added = "/many/added_" + std::to_string(index);
        ASSERT_EQ(target.create(added, true, false), 0) << added;
        ASSERT_EQ(model->create(added, true), 0);
        std::snprintf(name, sizeof name, "/many/entry_%04d", 1000 + index);
        ASSERT_EQ(target.rename(name, std::string(name) + "_moved"), 0) << name;
        ASSERT_EQ(model->rename(name, std::string(name) + "_moved"), 0);
    }
    std::vector<std::string> failures = ext2_model::verify_tree(*model, target);
    EXPECT_TRUE(failures.empty()) << joined(failures);
    ASSERT_NO_FATAL_FAILURE(unmount_keeping_counts(mount, image));
    expect_clean_and_equal(image, *model);
    EXPECT_EQ(inode_flags(image, "/many") & EXT2_INDEX_FLAG, 0u);
}

}  // namespace
