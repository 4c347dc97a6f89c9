# The libvirt host, step by step (guestlab run --scenario bookworm assets/scripts/libvirt-tour.sh).
# A VM is an XML file plus a disk image. Watch /etc/libvirt and /var/lib/libvirt change.
ls -l /etc/libvirt/qemu /var/lib/libvirt/images
virsh list --all
# Debian ships the default network inactive: the VM cannot start yet.
virsh start bookworm
virsh net-start default
virsh net-autostart default
# define: a new domain from an XML file -> /etc/libvirt/qemu/web1.xml (mode 0600)
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
# autostart is just a symlink
virsh autostart web1
ls -l /etc/libvirt/qemu/autostart
# start: runtime state in /run/libvirt/qemu, a log in /var/log/libvirt/qemu
virsh start web1
ls /run/libvirt/qemu /var/log/libvirt/qemu
virsh list --all
# snapshot: internal, inside the qcow2 image, with metadata in /var/lib/libvirt/qemu/snapshot
virsh snapshot-create-as web1 snap1
qemu-img snapshot -l /var/lib/libvirt/images/web1.qcow2
# clone: a copy of the disk, a new UUID and MAC, nothing changed inside the guest
virt-clone --original bookworm --name bookworm-clone --auto-clone
virsh domiflist bookworm
virsh domiflist bookworm-clone
# undefine: the XML goes; the disk only with --remove-all-storage
virsh destroy web1
virsh undefine web1 --remove-all-storage --snapshots-metadata
ls /etc/libvirt/qemu /var/lib/libvirt/images
