# tests/gdb/docs_debugging.gdb -- the gdb walk-through of docs/debugging.md, run.
# run-gdb-test boots the `make run` machine (ata.img on hda, virtio.img on
# vda, mounted by /etc/rc), sources tools/gdbinit (attached to this run's
# port), then this file, while it types at the shell:
#     cp /mnt/ata/docs/words.txt /mnt/virtio/words.txt
#     sync
# The commands and breakpoint conditions below are the chapter's, in the
# chapter's order; the ==NAME== markers let run-gdb-test check each part.
set pagination off
set confirm off

echo ==USER-MODE==\n
add-user-symbols build/user/bin/cp
hbreak copy_bytes if $_streq('(anonymous namespace)::running'->process->name, "cp")
continue
bt
delete
hbreak __syscall6 if $_streq('(anonymous namespace)::running'->process->name, "cp")
continue
delete
stepi 11
x/i $pc
stepi
x/i $pc
info registers eax

echo ==READ-SIDE==\n
break on_system_call
break sys_read
break vfs_read
break Ext2Inode::read_at
break FileMapping::read_pages
break PageCache::start_reads
break Ext2BlockMap::map if file_block == 12
set $map_breakpoint = $bpnum
break ata::AtaDisk::start_request
set $ata_breakpoint = $bpnum
# The chapter presses `continue` once per stop. How often the upper stops
# come before the map's depends on read-ahead (whether a chunk's pages are
# still being read), so here `continue` repeats until the stop named; $hit
# is the number of the breakpoint of the last stop.
python
def note_breakpoint_hit(event):
    if isinstance(event, gdb.BreakpointEvent):
        gdb.set_convenience_variable("hit", event.breakpoints[0].number)
gdb.events.stop.connect(note_breakpoint_hit)
end
set $hit = 0
continue
while $hit != $map_breakpoint
  continue
end
print allocate
continue
while $hit != $ata_breakpoint
  continue
end
echo ==ATA-SUBMIT==\n
bt
delete
echo ==ATA-WORKER==\n
tbreak ata::AtaDisk::transfer_dma
continue
bt
kthreads
tbreak ata::AtaChannel::handle_interrupt
continue
bt
echo ==PAGE-DONE==\n
tbreak PageIo::finish_page
continue
bt

echo ==WRITE-SIDE==\n
tbreak Ext2Allocator::allocate_block
continue
bt
tbreak BufferCache::mark_dirty
continue
print buffer.block_number
print buffer.device->name_
set $buffer = &buffer
finish
echo ==DISK-APART==\n
break RequestQueue::submit if $_streq(this->device_.name_, "vda")
continue
print request.direction
print request.sector
delete
echo ==VIRTIO-SUBMIT==\n
tbreak virtio::VirtioBlockDevice::start_request
continue
bt
echo ==VIRTIO-IRQ==\n
tbreak virtio::VirtioBlockDevice::handle_interrupt
continue
bt
echo ==WATCH==\n
watch -l $buffer->dirty
continue
echo ==END==\n
kill
