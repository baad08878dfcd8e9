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
//       back), ENAMETOOLONG, EMLINK at 32,000 links, EFBIG past the block
//       map's reach, an indexed directory after changes.
//   Ext2WriteHarness.*  the judges themselves: the model agrees with the
//       host's Linux on the same random sequence; the checkers accept every
//       untouched image and notice each kind of difference.
//
// Run one group with --gtest_filter='Ext2Write*'. EXT2_WRITE_SEED=<n> repeats
// a sequence (the seed is printed with every failure); EXT2_WRITE_OPERATIONS
// changes its length.
#include <gtest/gtest.h>

#include <cstdlib>
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
        // Through the caches to the image and back: nothing may be lost.
        ASSERT_EQ(mount.unmount(), 0);
        std::vector<std::string> midway = check_image(image, *model);
        ASSERT_TRUE(midway.empty()) << "after " << half << " operations (seed " << seed << "):\n" << joined(midway);
        ASSERT_EQ(mount.mount(image), 0);
        std::vector<std::string> remounted = ext2_model::verify_tree(*model, target);
        ASSERT_TRUE(remounted.empty()) << "after the remount (seed " << seed << "):\n" << joined(remounted);
        ext2_model::SequenceReport second =
            ext2_model::run_sequence(*model, target, generator, half, operations - half, operations, seed);
        ASSERT_EQ(second.failure, "");
        EXPECT_GT(first.failed_as_predicted + second.failed_as_predicted, operations / 20);
        ASSERT_EQ(mount.unmount(), 0);
    }
    std::vector<std::string> failures = check_image(image, *model);
    EXPECT_TRUE(failures.empty()) << "at the end (seed " << seed << "):\n" << joined(failures);
}

INSTANTIATE_TEST_SUITE_P(Ext2Write, RandomOperations, ::testing::ValuesIn(CONFIGS),
                         [](const ::testing::TestParamInfo<WriteImageConfig>& info) { return std::string(info.param.name); });

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
    ASSERT_EQ(mount.unmount(), 0);
    EXPECT_EQ(ext2_test::e2fsck(image).status, 0);
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
    ASSERT_EQ(mount.unmount(), 0);
    // e2fsck notices a wrong free-blocks count in group 0's descriptor.
    uint32_t bogus = 1;
    ext2_test::patch_bytes(image, 2048 + 12, &bogus, 2);
    ext2_test::FsckResult fsck = ext2_test::e2fsck(image);
    EXPECT_NE(fsck.status, 0) << fsck.output;
}

}  // namespace
