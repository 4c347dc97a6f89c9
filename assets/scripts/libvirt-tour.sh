# The libvirt host, step by step: a scenario script. `guestlab run --scenario bookworm
# assets/scripts/libvirt-tour.sh` runs it as a shell script; `guestlab run --present …` and the
# app's presenter mode (libvirt host screen, F5) play it one step at a time with the narration.
# Format: `#@` header lines, `#:` narration (starts a step), `#:de:` German narration, then the
# step's commands (see content/src/sim/scenario.rs).
#@ title: The libvirt host, step by step
#@ title.de: Der libvirt-Host Schritt für Schritt
#@ sim: libvirt
#@ world: bookworm

#: A VM is an XML file plus a disk image. Watch /etc/libvirt and /var/lib/libvirt change.
#:de: Eine VM ist eine XML-Datei plus ein Plattenabbild. Achten Sie darauf, wie sich /etc/libvirt und /var/lib/libvirt ändern.
ls -l /etc/libvirt/qemu /var/lib/libvirt/images
virsh list --all

#: Debian ships the default network inactive: the VM cannot start yet. Start the network, and let it start at boot.
#:de: Debian liefert das Netz default inaktiv aus: Die VM kann noch nicht starten. Wir starten das Netz und lassen es beim Booten starten.
virsh start bookworm
virsh net-start default
virsh net-autostart default

#: define: a new domain from an XML file. libvirt writes its own copy to /etc/libvirt/qemu/web1.xml (mode 0600).
#:de: define: eine neue Domain aus einer XML-Datei. libvirt schreibt eine eigene Kopie nach /etc/libvirt/qemu/web1.xml (Modus 0600).
qemu-img create -f qcow2 /var/lib/libvirt/images/web1.qcow2 10G
cat > /root/web1.xml <<'XML'
<domain type='kvm'>
  <name>web1</name>
  <memory unit='MiB'>1024</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='q35'>hvm</type><boot dev='hd'/></os>
  <devices>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='/var/lib/libvirt/images/web1.qcow2'/>
      <target dev='vda' bus='virtio'/>
    </disk>
    <interface type='network'><source network='default'/><model type='virtio'/></interface>
  </devices>
</domain>
XML
virsh define /root/web1.xml
ls -l /etc/libvirt/qemu

#: autostart is just a symlink in /etc/libvirt/qemu/autostart.
#:de: autostart ist nur ein symbolischer Link in /etc/libvirt/qemu/autostart.
virsh autostart web1
ls -l /etc/libvirt/qemu/autostart

#: start: runtime state appears in /run/libvirt/qemu, a log in /var/log/libvirt/qemu.
#:de: start: Der Laufzeitzustand erscheint in /run/libvirt/qemu, ein Protokoll in /var/log/libvirt/qemu.
virsh start web1
ls /run/libvirt/qemu /var/log/libvirt/qemu
virsh list --all

#: snapshot: an internal snapshot lives inside the qcow2 image; libvirt keeps its metadata in /var/lib/libvirt/qemu/snapshot.
#:de: snapshot: Ein interner Snapshot liegt im qcow2-Abbild; libvirt hält seine Metadaten in /var/lib/libvirt/qemu/snapshot.
virsh snapshot-create-as web1 snap1
qemu-img snapshot -l /var/lib/libvirt/images/web1.qcow2

#: clone: a copy of the disk, a new UUID and MAC address, and nothing changed inside the guest.
#:de: clone: eine Kopie der Platte, eine neue UUID und MAC-Adresse, und im Gast ist nichts geändert.
virt-clone --original bookworm --name bookworm-clone --auto-clone
virsh domiflist bookworm
virsh domiflist bookworm-clone

#: undefine: the XML goes; the disk image only with --remove-all-storage.
#:de: undefine: Die XML-Datei verschwindet; das Plattenabbild nur mit --remove-all-storage.
virsh destroy web1
virsh undefine web1 --remove-all-storage --snapshots-metadata
ls /etc/libvirt/qemu /var/lib/libvirt/images
