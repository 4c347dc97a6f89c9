# Disk images, step by step: raw and qcow2, overlays, commit, discard and convert. A scenario
# script: `guestlab run assets/scripts/disk-tour.sh` runs it whole, `guestlab run --present …`
# and the app's presenter mode (Disk images screen, F5) play it step by step (format:
# content/src/sim/scenario.rs).
#@ title: Disk images: raw, qcow2 and overlays
#@ title.de: Plattenabbilder: raw, qcow2 und Overlays
#@ sim: disk?scenario=sandbox
#@ world: bookworm

#: A raw image is a sparse file: 4 GiB long, and only its first 4 KiB allocated (the first column of ls -s counts KiB).
#:de: Ein raw-Abbild ist eine Datei mit Löchern: 4 GiB lang, und nur die ersten 4 KiB sind belegt (die erste Spalte von ls -s zählt KiB).
cd /var/lib/libvirt/images
qemu-img create -f raw raw.img 4G
ls -ls raw.img

#: qcow2 starts small: a header, an L1 table and the refcount structures, a few hundred KiB for 4 GiB of disk.
#:de: qcow2 fängt klein an: ein Kopf, eine L1-Tabelle und die Refcount-Strukturen, einige hundert KiB für 4 GiB Platte.
qemu-img create -f qcow2 disk.qcow2 4G
ls -ls disk.qcow2
qemu-img info disk.qcow2

#: The guest writes 100 MiB to both disks. Both files grow by about what was written, no more.
#:de: Der Gast schreibt 100 MiB auf beide Platten. Beide Dateien wachsen um etwa das Geschriebene, nicht mehr.
qemu-io -f raw -c 'write -P 0x1f 1M 100M' raw.img
qemu-io -f qcow2 -c 'write -P 0x1f 1M 100M' disk.qcow2
ls -ls raw.img disk.qcow2

#: qemu-img map shows which guest offsets hold data, and where in the file they are.
#:de: qemu-img map zeigt, welche Gast-Offsets Daten enthalten und wo in der Datei sie liegen.
qemu-img map disk.qcow2

#: An overlay: a new qcow2 image on top of a backing file. The guest's writes go to the overlay; the base stays as it was.
#:de: Ein Overlay: ein neues qcow2-Abbild über einer Backing-Datei. Die Schreibzugriffe des Gasts gehen ins Overlay; die Basis bleibt, wie sie war.
qemu-img create -f qcow2 -b disk.qcow2 -F qcow2 overlay.qcow2
qemu-io -f qcow2 -c 'write -P 0x55 200M 10M' overlay.qcow2
qemu-img info --backing-chain overlay.qcow2

#: commit writes the overlay's clusters into its base; then the overlay can go.
#:de: commit schreibt die Cluster des Overlays in seine Basis; danach kann das Overlay weg.
qemu-img commit overlay.qcow2
rm overlay.qcow2
ls -ls

#: discard (what fstrim in the guest sends) gives clusters back: the qcow2 file keeps its length but allocates less.
#:de: discard (was fstrim im Gast schickt) gibt Cluster zurück: Die qcow2-Datei behält ihre Länge, belegt aber weniger.
qemu-io -f qcow2 -c 'discard 1M 50M' disk.qcow2
ls -ls disk.qcow2

#: convert writes a compact copy with only the data that is still there, and check finds no errors in it.
#:de: convert schreibt eine kompakte Kopie nur mit den Daten, die noch da sind, und check findet darin keine Fehler.
qemu-img convert -f qcow2 -O qcow2 disk.qcow2 compact.qcow2
ls -ls
qemu-img check compact.qcow2
