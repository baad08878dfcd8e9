"""tests/bench/storage.py -- the storage workload on this kernel and on Linux, side by side.

`make bench` runs this after raw_read.py. The Linux reference harness
(BENCH_ANCHOR_SCRIPTS, default <repo>/../shared/bench/linux: bench.sh,
setup.sh, mkimages.sh) boots Debian's Linux 6.1 in QEMU with two ext2 disks
-- A holding /big.bin (64 MiB) and /tree (1,000 files of 4 KiB), B empty --
and times five phases from the serial console: boot, cp_big, cp_tree,
reread, reread_dd. The very same bench.sh, with the very same QEMU options
and disk images, boots this kernel (build/kernel.elf, build/rootfs.romfs)
with `init=/bin/sh -- /etc/bench/storage.sh DISK_A DISK_B`, a script that
runs the same commands with this kernel's own programs.

For each configuration (virtio 4 KiB blocks, IDE 4 KiB, virtio 1 KiB) it
runs Linux and this kernel back to back, BENCH_RUNS times each (default 1;
3 gives medians), always under TCG, and prints one table: each phase's time
(both measured on the host between the serial markers), ours over Linux's
(target: at most 1.25x), disk B's write requests as QEMU counted them
(target: no more than Linux), and each run's status, e2fsck of B, and the
comparison of B's files with A's.

What must stay true: figures are printed, never asserted -- the exit status
is non-zero only when the benchmark could not run at all (missing kernel
build, reference setup failing). Without the reference scripts it says so
and skips. The reference's kernel, initramfs and images live in ANCHOR_DIR
(default /tmp/linux-anchor); when missing they are made with setup.sh and
mkimages.sh, which need root.
"""
import os
import statistics
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ANCHOR_SCRIPTS = os.environ.get("BENCH_ANCHOR_SCRIPTS",
                                os.path.join(os.path.dirname(REPO), "shared", "bench", "linux"))
ANCHOR_DIR = os.environ.get("ANCHOR_DIR", "/tmp/linux-anchor")
KERNEL = os.path.join(REPO, "build", "kernel.elf")
ROOT_IMAGE = os.path.join(REPO, "build", "rootfs.romfs")
RUNS = int(os.environ.get("BENCH_RUNS", "1"))
TIMEOUT_SECONDS = int(os.environ.get("BENCH_TIMEOUT", "600"))
WORKLOAD = "/etc/bench/storage.sh"
CONFIGURATIONS = [("virtio", 4096), ("ide", 4096), ("virtio", 1024)]
# QEMU attaches the harness's disk A at index 0 and B at index 1: the first
# two virtio-blk disks, or the IDE primary master and slave.
DISKS = {"virtio": ("/dev/vda", "/dev/vdb"), "ide": ("/dev/hda", "/dev/hdb")}
PHASES = [("boot", "boot_ms"), ("cp_big", "host_cp_big_ms"), ("cp_tree", "host_cp_tree_ms"),
          ("reread", "host_reread_ms"), ("reread_dd", "host_reread_dd_ms")]
TARGET_RATIO = 1.25


def script(name):
    return os.path.join(ANCHOR_SCRIPTS, name)


def prepare_reference():
    """Builds the reference's boot files and disk images when missing; False on failure."""
    if not all(os.path.isfile(os.path.join(ANCHOR_DIR, f)) for f in ("vmlinuz", "initramfs.cpio.gz")):
        print(f"storage: {ANCHOR_DIR} has no Linux kernel/initramfs yet: running setup.sh", flush=True)
        if subprocess.run([script("setup.sh")]).returncode != 0:
            print("storage: setup.sh failed (it needs root and apt)", file=sys.stderr)
            return False
    for block_size in sorted({bs for _, bs in CONFIGURATIONS}):
        images = os.path.join(ANCHOR_DIR, "images")
        wanted = [f"A-{block_size}.img", f"B-{block_size}.img", "src/big.bin"]
        if not all(os.path.isfile(os.path.join(images, f)) for f in wanted):
            print(f"storage: making the {block_size}-byte-block disk images with mkimages.sh", flush=True)
            if subprocess.run([script("mkimages.sh"), "-b", str(block_size)]).returncode != 0:
                print("storage: mkimages.sh failed (it needs root)", file=sys.stderr)
                return False
    return True


def run_once(bus, block_size, ours):
    """One bench.sh run; its key=value summary as a dict (status=error when it gave none)."""
    command = [script("bench.sh"), "--accel", "tcg", "--bus", bus, "--bs", str(block_size),
               "--timeout", str(TIMEOUT_SECONDS)]
    if ours:
        disk_a, disk_b = DISKS[bus]
        command += ["--kernel", KERNEL, "--initrd", ROOT_IMAGE,
                    "--append", f"quiet init=/bin/sh -- {WORKLOAD} {disk_a} {disk_b}", "--name", "ours"]
    completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    summary = {}
    for line in completed.stdout.splitlines():
        for word in line.split():
            key, equals, value = word.partition("=")
            if equals:
                summary[key] = value
    if "status" not in summary:
        summary["status"] = "error"
        summary["error"] = (completed.stderr.strip().splitlines() or ["no output"])[-1]
    summary.update(guest_exit_statuses(summary.get("rundir")))
    return summary


def guest_exit_statuses(run_folder):
    """The guest's own "ANCHOR <phase>_rc=N" words from the run's serial log (bench.sh
    checks them but does not repeat them in its summary)."""
    statuses = {}
    try:
        with open(os.path.join(run_folder or "", "serial.log"), errors="replace") as log:
            for line in log:
                words = line.split()
                if "ANCHOR" in words:
                    for word in words[words.index("ANCHOR") + 1:]:
                        key, _, value = word.partition("=")
                        if key.endswith("_rc"):
                            statuses[key] = value
    except OSError:
        pass
    return statuses


def phase_succeeded(run, phase):
    """Boot counts once the guest ran its first program; a phase when its commands
    exited 0 (a guest that reports no status is taken at its word: the markers)."""
    if phase == "boot":
        return run.get("status") != "no_boot"
    return run.get(f"{phase}_rc", "0") == "0"


def median_of(runs, key):
    """Median of one figure over the runs that have it (None when none has)."""
    values = []
    for run in runs:
        try:
            values.append(float(run.get(key, "NA")))
        except ValueError:
            pass
    return statistics.median(values) if values else None


def figure(value):
    return "NA" if value is None else f"{value:.0f}"


def ratio_text(ours, linux, target):
    if ours is None or linux is None or linux == 0:
        return "NA", ""
    ratio = ours / linux
    return f"{ratio:.2f}x", ("ok" if ratio <= target else "over")


def print_configuration(title, linux_runs, our_runs):
    print(f"\n## {title} (medians of {RUNS}, ms; ours / Linux, target <= {TARGET_RATIO}x)")
    print(f"{'phase':<22}{'ours':>9}{'Linux':>9}{'ratio':>9}  target")
    # A phase's time counts only from runs where it succeeded, request counts only
    # from runs that passed every check: a failed copy is fast and writes nothing.
    for phase, key in PHASES:
        ours_ok = [run for run in our_runs if phase_succeeded(run, phase)]
        linux_ok = [run for run in linux_runs if phase_succeeded(run, phase)]
        ours, linux = median_of(ours_ok, key), median_of(linux_ok, key)
        ratio, verdict = ratio_text(ours, linux, TARGET_RATIO)
        if len(ours_ok) < len(our_runs) or len(linux_ok) < len(linux_runs):
            verdict = (verdict + "; " if ours_ok and linux_ok else "") + \
                f"failed in {len(our_runs) - len(ours_ok)} of ours, {len(linux_runs) - len(linux_ok)} of Linux's"
        print(f"{phase:<22}{figure(ours):>9}{figure(linux):>9}{ratio:>9}  {verdict}")
    our_good = [run for run in our_runs if run.get("status") == "ok"]
    linux_good = [run for run in linux_runs if run.get("status") == "ok"]
    for label, key, target in (("B write requests", "b_wr_ops", 1.0), ("  during cp_big", "cp_big_b_wr_ops", None),
                               ("  during cp_tree", "cp_tree_b_wr_ops", None), ("B write MiB", "b_wr_bytes", None),
                               ("B flushes", "b_flush_ops", None), ("A read requests", "a_rd_ops", None),
                               ("B reads in reread_dd", "reread_dd_b_rd_ops", None)):
        ours, linux = median_of(our_good, key), median_of(linux_good, key)
        if key.endswith("bytes"):
            ours, linux = (None if v is None else v / 1048576 for v in (ours, linux))
        ratio, verdict = ratio_text(ours, linux, target if target else float("inf"))
        print(f"{label:<22}{figure(ours):>9}{figure(linux):>9}{ratio:>9}  {verdict if target else ''}")
    for who, runs in (("Linux", linux_runs), ("ours", our_runs)):
        for number, run in enumerate(runs, 1):
            print(f"  {who:<5} run {number}: status={run.get('status')} fsck={run.get('fsck', 'NA')} "
                  f"cmp={run.get('cmp', 'NA')} tree={run.get('tree', 'NA')} "
                  f"{run.get('error', '') or os.path.basename(run.get('rundir', ''))}")


def commit_description():
    def git(*arguments):
        result = subprocess.run(["git", "-C", REPO, *arguments], stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL, text=True)
        return result.stdout.strip()
    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return head + (" (with uncommitted changes)" if git("status", "--porcelain", "--untracked-files=no") else "")


def main():
    if not os.path.isfile(script("bench.sh")):
        print(f"storage: skipped -- the Linux reference scripts are not in {ANCHOR_SCRIPTS} "
              "(set BENCH_ANCHOR_SCRIPTS to the folder holding bench.sh)")
        return 0
    for path in (KERNEL, ROOT_IMAGE):
        if not os.path.isfile(path):
            print(f"storage: {path} is missing; run make first", file=sys.stderr)
            return 1
    if not prepare_reference():
        return 1
    print(f"Storage workload, this kernel (commit {commit_description()}) against Linux "
          f"({ANCHOR_SCRIPTS}), QEMU tcg, {RUNS} run(s) each; phase times measured on the host "
          "between the guest's serial markers", flush=True)
    for bus, block_size in CONFIGURATIONS:
        linux_runs, our_runs = [], []
        for number in range(1, RUNS + 1):
            for ours, runs in ((False, linux_runs), (True, our_runs)):
                print(f"storage: {bus}, {block_size}-byte blocks, {'ours' if ours else 'Linux'}, "
                      f"run {number} of {RUNS}", file=sys.stderr, flush=True)
                runs.append(run_once(bus, block_size, ours))
        print_configuration(f"{bus}, {block_size // 1024} KiB blocks", linux_runs, our_runs)
        sys.stdout.flush()
    print(f"\nRun folders (serial.log, summary.txt, e2fsck output): {ANCHOR_DIR}/runs/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
