// tests/host/support/ext2_image_check.cpp -- check_image (see
// ext2_write_support.h): e2fsck and debugfs, run on the image file after it
// was unmounted, judge it against the model. Nothing here reads the image
// through the kernel's own code.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "tests/host/support/ext2_write_support.h"

namespace ext2_test {

using ext2_model::Model;
using ext2_model::Node;
using ext2_model::NodeKind;

namespace {

// debugfs -f runs one command per line and echoes each as "debugfs: <command>";
// the output is cut at those lines into command -> what it printed.
std::map<std::string, std::string> run_debugfs_script(const std::string& image,
                                                      const std::vector<std::string>& commands) {
    std::string script = scratch_directory() + "/debugfs_script";
    {
        std::ofstream out(script);
        for (const std::string& command : commands) out << command << "\n";
    }
    std::istringstream output(run_command("/sbin/debugfs -f " + script + " " + image + " 2>&1"));
    std::map<std::string, std::string> sections;
    std::string line, current;
    while (std::getline(output, line)) {
        if (line.rfind("debugfs: ", 0) == 0) {
            current = line.substr(9);
            sections[current];
        } else if (!current.empty()) {
            sections[current] += line + "\n";
        }
    }
    return sections;
}

uint64_t field_after(const std::string& text, const std::string& label, bool* found) {
    size_t at = text.find(label);
    *found = at != std::string::npos;
    return *found ? std::strtoull(text.c_str() + at + label.size(), nullptr, 10) : 0;
}

NodeKind kind_of_mode(unsigned long mode) {
    return (mode & 0170000) == 0040000 ? NodeKind::Directory
           : (mode & 0170000) == 0120000 ? NodeKind::Symlink
                                          : NodeKind::File;
}

struct ListedEntry {
    uint64_t inode;
    NodeKind kind;
};

// "/ino/mode/uid/gid/name/size/" lines of `ls -p`.
std::map<std::string, ListedEntry> parse_listing(const std::string& text) {
    std::map<std::string, ListedEntry> entries;
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.size() < 2 || line[0] != '/') continue;
        std::vector<std::string> fields;
        std::stringstream parts(line.substr(1));
        std::string field;
        while (std::getline(parts, field, '/')) fields.push_back(field);
        if (fields.size() < 5 || fields[0] == "0") continue;  // 0: an unused slot (lost+found's spare blocks)
        entries[fields[4]] = {std::strtoull(fields[0].c_str(), nullptr, 10),
                              kind_of_mode(std::strtoul(fields[1].c_str(), nullptr, 8))};
    }
    return entries;
}

// Names, types and inode numbers of one directory as debugfs lists it.
void check_listing(const std::string& path, const Node& node, const std::string& text,
                   std::map<const Node*, uint64_t>& inode_of, std::vector<std::string>& failures) {
    std::map<std::string, ListedEntry> entries = parse_listing(text);
    if (!entries.count(".") || !entries.count(".."))
        failures.push_back("debugfs ls -p " + path + ": no . or .. entry: " + text.substr(0, 300));
    for (const auto& [name, entry] : entries) {
        if (name == "." || name == "..") continue;
        auto child = node.children.find(name);
        if (child == node.children.end()) {
            failures.push_back("debugfs ls -p " + path + ": an entry the model does not have: '" + name.substr(0, 60) + "'");
            continue;
        }
        if (entry.kind != child->second->kind) failures.push_back("debugfs: " + ext2_model::join(path, name) + " has the wrong type");
        auto known = inode_of.find(child->second.get());
        if (known != inode_of.end() && known->second != entry.inode)
            failures.push_back("debugfs: hard link " + ext2_model::join(path, name) + " names inode " +
                               std::to_string(entry.inode) + ", another name of it inode " + std::to_string(known->second));
        inode_of[child->second.get()] = entry.inode;
    }
    for (const auto& [name, child] : node.children)
        if (!entries.count(name))
            failures.push_back("debugfs ls -p " + path + ": missing '" + name.substr(0, 60) + "'");
}

void check_inode(const std::string& path, const Node& node, const std::string& text, std::vector<std::string>& failures) {
    bool has_links = false, has_size = false;
    uint64_t links = field_after(text, "Links: ", &has_links);
    uint64_t size = field_after(text, "Size: ", &has_size);
    if (!has_links || !has_size) {
        failures.push_back("debugfs stat " + path + ": " + text.substr(0, 200));
        return;
    }
    size_t mode_at = text.find("Mode:  ");
    uint32_t permissions = mode_at == std::string::npos ? 0xFFFF : uint32_t(std::strtoul(text.c_str() + mode_at + 7, nullptr, 8));
    if (permissions != node.permissions)
        failures.push_back("debugfs stat " + path + ": Mode: " + std::to_string(permissions) + " (decimal), model " +
                           std::to_string(node.permissions));
    if (links != node.link_count())
        failures.push_back("debugfs stat " + path + ": Links: " + std::to_string(links) + ", model " +
                           std::to_string(node.link_count()));
    uint64_t expected_size = node.kind == NodeKind::File ? node.bytes.size() : node.target.size();
    if (node.kind != NodeKind::Directory && size != expected_size)
        failures.push_back("debugfs stat " + path + ": Size: " + std::to_string(size) + ", model " +
                           std::to_string(expected_size));
}

std::string compare_dumped_file(const std::string& host_path, const std::string& path, const Node& node) {
    int file = ::open(host_path.c_str(), O_RDONLY);
    if (file < 0) return "rdump: " + path + " was not dumped";
    // Allocated once: a fresh megabyte per file costs a page fault per page.
    static std::vector<uint8_t> buffer(64 << 10);
    uint64_t offset = 0;
    std::string problem;
    for (;;) {
        ssize_t got = ::pread(file, buffer.data(), buffer.size(), off_t(offset));
        if (got <= 0) break;
        std::vector<uint8_t> expected = node.bytes.read(offset, size_t(got));
        if (expected.size() != size_t(got) || std::memcmp(expected.data(), buffer.data(), expected.size()) != 0) {
            size_t at = 0;
            while (at < expected.size() && expected[at] == buffer[at]) ++at;
            problem = "rdump: " + path + " differs from the model at byte " + std::to_string(offset + at);
            break;
        }
        offset += uint64_t(got);
    }
    ::close(file);
    if (problem.empty() && offset != node.bytes.size())
        problem = "rdump: " + path + " has " + std::to_string(offset) + " bytes, model " + std::to_string(node.bytes.size());
    return problem;
}

void check_dump(const std::string& image, const Model& model, std::vector<std::string>& failures, size_t max_failures) {
    static int dumps = 0;
    std::string folder = scratch_directory() + "/rdump_" + std::to_string(++dumps);
    std::filesystem::create_directories(folder);
    run_command("/sbin/debugfs -R 'rdump / " + folder + "' " + image + " 2>&1");
    model.walk([&](const std::string& path, const Node& node) {
        if (failures.size() >= max_failures || path == "/") return;
        std::string host_path = folder + path;
        if (node.kind == NodeKind::File) {
            std::string problem = compare_dumped_file(host_path, path, node);
            if (!problem.empty()) failures.push_back(problem);
        } else if (node.kind == NodeKind::Symlink) {
            char target[4096];
            ssize_t length = ::readlink(host_path.c_str(), target, sizeof target);
            if (length < 0 || std::string(target, size_t(length)) != node.target)
                failures.push_back("rdump: symlink " + path + " has another target than the model's");
        }
    });
    std::error_code ignored;
    std::filesystem::remove_all(folder, ignored);
}

}  // namespace

std::vector<std::string> check_image(const std::string& image, const Model& model, size_t max_failures) {
    std::vector<std::string> failures;
    FsckResult fsck = e2fsck(image);
    if (!fsck.clean())
        failures.push_back("e2fsck -fn exited " + std::to_string(fsck.status) + ":\n" + fsck.output.substr(0, 6000));
    std::vector<std::string> commands;
    std::vector<std::pair<std::string, const Node*>> nodes;
    model.walk([&](const std::string& path, const Node& node) {
        nodes.push_back({path, &node});
        if (node.kind == NodeKind::Directory) commands.push_back("ls -p " + path);
        commands.push_back("stat " + path);
    });
    std::map<std::string, std::string> sections = run_debugfs_script(image, commands);
    std::map<const Node*, uint64_t> inode_of;
    for (const auto& [path, node] : nodes) {
        if (failures.size() >= max_failures) break;
        if (node->kind == NodeKind::Directory) check_listing(path, *node, sections["ls -p " + path], inode_of, failures);
        check_inode(path, *node, sections["stat " + path], failures);
    }
    // Distinct files must have distinct inodes.
    std::map<uint64_t, const Node*> node_of;
    for (const auto& [node, inode] : inode_of)
        if (!node_of.emplace(inode, node).second) failures.push_back("debugfs: two different files share inode " + std::to_string(inode));
    if (failures.size() < max_failures) check_dump(image, model, failures, max_failures);
    return failures;
}

}  // namespace ext2_test
