"""tests/bench/raw_read.py -- sequential raw reads (and writes) of the disks, measured.

`make bench` runs this: one machine with a 64 MiB IDE disk (hda) and a
64 MiB virtio-blk disk (vda) holding the same random bytes, booted twice --
with bus-master DMA (the default) and with `ata=pio`. In each, the guest
reads the whole disk with `dd bs=1M`, then writes it over with zeros
(`dd bs=1M`; the last close waits for the last write), and the benchmark
prints for each:

  MB/s          bytes over seconds as dd reports them (the guest's clock,
                in milliseconds); "host s" is the time the host saw around
                the whole command, shell round trip included
  operations    reads (writes) the device completed, from /proc/diskstats
  average       the mean size of one device request (sectors / requests)

Figures are printed, never asserted: a timed test would fail on a busy
machine. ACCEL (default tcg) chooses QEMU's accelerator, as everywhere.
"""
import hashlib
import os
import re
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "qemu"))
from machine import Machine  # noqa: E402

DISK_MIB = 64


def diskstats(machine, device, write=False):
    """(completed, merged, sectors) of `device`'s reads, or of its writes."""
    for line in machine.run("cat /proc/diskstats").splitlines():
        fields = line.split()
        if len(fields) >= 10 and fields[2] == device:
            first = 7 if write else 3
            return int(fields[first]), int(fields[first + 1]), int(fields[first + 2])
    raise RuntimeError(f"{device} is not in /proc/diskstats")


def measure(machine, device, write=False):
    before = diskstats(machine, device, write)
    started = time.monotonic()
    if write:
        command = f"dd if=/dev/zero of=/dev/{device} bs=1M count={DISK_MIB}"
    else:
        command = f"dd if=/dev/{device} of=/dev/null bs=1M count={DISK_MIB}"
    output = machine.run(command, timeout=1200)
    seconds = time.monotonic() - started
    after = diskstats(machine, device, write)
    operations = after[0] - before[0]
    sectors = after[2] - before[2]
    copied = re.search(r"^(\d+) bytes .* copied, ([0-9.]+) s", output, re.M)
    guest_seconds = float(copied.group(2)) if copied else 0.0
    return {
        "mb_per_s": int(copied.group(1)) / guest_seconds / 1e6 if copied and guest_seconds else 0.0,
        "seconds": seconds,
        "operations": operations,
        "merged": after[1] - before[1],
        "average_kib": sectors * 512 / operations / 1024 if operations else 0.0,
        "bytes_ok": sectors * 512 >= DISK_MIB * 1048576,
        "dd": output.strip().splitlines()[-1] if output.strip() else "(no output)",
    }


def run(workdir, append, accel):
    ata = os.path.join(workdir, "ata.img")
    virtio = os.path.join(workdir, "virtio.img")
    machine = Machine(os.path.join(workdir, append or "dma"), append=("init=/bin/init " + append).strip(),
                      memory=256, accel=accel, ata_disks=[ata], virtio_disks=[virtio])
    try:
        machine.boot()
        devices = ["hda"] if append else ["hda", "vda"]
        results = {}
        for device in devices:
            results[device] = measure(machine, device)
        for device in devices:
            results[device + " write"] = measure(machine, device, write=True)
        return results
    finally:
        machine.close()


def main():
    accel = os.environ.get("ACCEL", "tcg")
    with tempfile.TemporaryDirectory() as workdir:
        data = os.urandom(DISK_MIB << 20)
        for name in ("ata.img", "virtio.img"):
            with open(os.path.join(workdir, name), "wb") as f:
                f.write(data)
        os.makedirs(os.path.join(workdir, "dma"))
        os.makedirs(os.path.join(workdir, "ata=pio"))
        print(f"Sequential raw read of {DISK_MIB} MiB with dd bs=1M, QEMU {accel}, md5 {hashlib.md5(data).hexdigest()}")
        dma = run(workdir, "", accel)
        pio = run(workdir, "ata=pio", accel)
        rows = [("/dev/hda, PIO", pio["hda"]), ("/dev/hda, DMA", dma["hda"]), ("/dev/vda, virtio", dma["vda"]),
                ("hda, PIO, write", pio["hda write"]), ("hda, DMA, write", dma["hda write"]),
                ("vda, virtio, write", dma["vda write"])]
        print(f"{'device':<18}{'MB/s':>8}{'host s':>8}{'ops':>8}{'merged':>8}{'avg KiB':>9}  dd says")
        for label, r in rows:
            print(f"{label:<18}{r['mb_per_s']:>8.1f}{r['seconds']:>8.2f}{r['operations']:>8}{r['merged']:>8}"
                  f"{r['average_kib']:>9.1f}  {r['dd']}{'' if r['bytes_ok'] else '  (short transfer!)'}")
        if pio["hda"]["mb_per_s"]:
            print(f"DMA/PIO speed ratio: {dma['hda']['mb_per_s'] / pio['hda']['mb_per_s']:.1f}x")


if __name__ == "__main__":
    main()
