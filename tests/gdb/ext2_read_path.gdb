# tests/gdb/ext2_read_path.gdb -- a program's read(2) of an ext2 file, seen
# from the virtio driver. run-gdb-test connects first, then sources this
# file while it types "md5sum /mnt/virtio/readme.txt" at the shell: the
# first page-cache miss arms a breakpoint in the virtio-blk driver, whose
# start_request runs in the reading thread, so the backtrace crosses every
# layer from the system call down to the driver.
set pagination off
set confirm off
break PageCache::start_reads
continue
delete
break virtio::VirtioBlockDevice::start_request
continue
echo ==EXT2-READ-PATH==\n
bt
echo ==END==\n
kill
