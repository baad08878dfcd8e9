# /etc/bench/storage.sh -- the storage workload of `make bench`, run as the
# first program:  init=/bin/sh -- /etc/bench/storage.sh DISK_A DISK_B
#
# The same phases and serial markers as the Linux reference workload of
# tests/bench/storage.py, with this kernel's own programs: DISK_A (ext2 with
# /big.bin, 64 MiB, and /tree, 1,000 files) is mounted read-only on /mnt/a,
# DISK_B (empty ext2) read-write on /mnt/b, then
#   cp_big     cp /mnt/a/big.bin /mnt/b/big.bin && sync
#   cp_tree    cp -r /mnt/a/tree /mnt/b/ && sync
#   reread     cat /mnt/b/big.bin > /dev/null
#   reread_dd  dd if=/mnt/b/big.bin of=/dev/null bs=65536
# each between "ANCHOR_PHASE NAME begin" and "... end" lines, which the host
# times; "ANCHOR NAME_rc=N" gives the phase's exit status. The first line
# must be ANCHOR_INIT (the host's boot time ends there), and the machine
# must power off at the end (the host reads QEMU's disk statistics then).
# The shell has no `if`: a failed mount is reported with ANCHOR_ERROR and
# the phases still run (and fail), so the run always ends in poweroff.
echo ANCHOR_INIT
mount -t ext2 -o ro $1 /mnt/a || echo "ANCHOR_ERROR mount $1 on /mnt/a failed"
mount -t ext2 $2 /mnt/b || echo "ANCHOR_ERROR mount $2 on /mnt/b failed"
echo "ANCHOR_DISKS a=$1 b=$2"
sync

echo ANCHOR_PHASE cp_big begin
cp /mnt/a/big.bin /mnt/b/big.bin && sync
rc=$?
echo ANCHOR_PHASE cp_big end
echo ANCHOR cp_big_rc=$rc

echo ANCHOR_PHASE cp_tree begin
cp -r /mnt/a/tree /mnt/b/ && sync
rc=$?
echo ANCHOR_PHASE cp_tree end
echo ANCHOR cp_tree_rc=$rc

echo ANCHOR_PHASE reread begin
cat /mnt/b/big.bin > /dev/null
rc=$?
echo ANCHOR_PHASE reread end
echo ANCHOR reread_rc=$rc

echo ANCHOR_PHASE reread_dd begin
dd if=/mnt/b/big.bin of=/dev/null bs=65536 2>/dev/null
rc=$?
echo ANCHOR_PHASE reread_dd end
echo ANCHOR reread_dd_rc=$rc

umount /mnt/b || echo "ANCHOR_ERROR umount /mnt/b failed"
umount /mnt/a || echo "ANCHOR_ERROR umount /mnt/a failed"
echo ANCHOR_DONE
poweroff
