# cloud-init lab: a Debian 12 cloud image configured at its first boot from a NoCloud seed, the
# boot stages and their logs, what a reboot, a new instance-id and `cloud-init clean` change, and
# logging in with an SSH key. A scenario script: `guestlab run assets/scripts/cloud-init-lab.sh`
# runs it whole (in the world of its `#@ world:` line), `guestlab run --present …` plays it step by
# step (format: content/src/sim/scenario.rs).
#@ title: cloud-init lab: a cloud image configured at its first boot
#@ title.de: cloud-init-Labor: ein Cloud-Image beim ersten Start einrichten
#@ sim: cloud-init
#@ world: cloud

#: The Debian 12 cloud image has cloud-init installed and never run. Make a key pair on the host first.
#:de: Im Cloud-Image von Debian 12 ist cloud-init installiert, aber noch nie gelaufen. Zuerst erzeugen wir auf dem Host ein Schlüsselpaar.
ls -l /var/lib/libvirt/images
ssh-keygen -t ed25519 -f /root/.ssh/id_ed25519 -N '' -C admin@host

#: The user-data: a cloud-config with the public key, no SSH passwords, a package and commands. The meta-data names the instance.
#:de: Die user-data: eine cloud-config mit dem öffentlichen Schlüssel, ohne SSH-Passwörter, mit einem Paket und Befehlen. Die meta-data benennt die Instanz.
cat > user-data <<EOF
#cloud-config
ssh_authorized_keys:
  - $(cat /root/.ssh/id_ed25519.pub)
ssh_pwauth: false
timezone: Europe/Berlin
package_update: true
packages:
  - nginx
write_files:
  - path: /var/www/html/index.html
    content: |
      <h1>Hello from web1</h1>
    defer: true
bootcmd:
  - echo "boot of \$INSTANCE_ID" >> /root/boots
runcmd:
  - echo hello from runcmd
EOF
cat > meta-data <<EOF
instance-id: web1-001
local-hostname: web1
EOF
cloud-init schema --config-file user-data

#: cloud-localds puts both files on an ISO 9660 image labelled cidata: the NoCloud seed.
#:de: cloud-localds legt beide Dateien auf ein ISO-9660-Abbild mit der Bezeichnung cidata: den NoCloud-Seed.
cloud-localds seed.iso user-data meta-data
ls -l seed.iso

#: A thin overlay on the cloud image, and the VM: the image as its disk, the seed as a CD-ROM.
#:de: Ein dünnes Overlay auf dem Cloud-Image, und die VM: das Image als Platte, der Seed als CD-ROM.
qemu-img create -f qcow2 -b debian-12-genericcloud-amd64.qcow2 -F qcow2 /var/lib/libvirt/images/web1.qcow2 10G
virsh net-start default
virt-install --name web1 --memory 1024 --import --disk path=/var/lib/libvirt/images/web1.qcow2 --disk path=/root/seed.iso,device=cdrom --os-variant debian12 --graphics none --noautoconsole

#: Inside the guest: cloud-init is done, the instance link, the semaphores, the two logs.
#:de: Im Gast: cloud-init ist fertig; der Instanz-Link, die Semaphoren, die beiden Logs.
virsh console web1
cloud-init status --long
hostname
readlink /var/lib/cloud/instance
ls /var/lib/cloud/instance/sem
grep -c "Running module" /var/log/cloud-init.log
tail -3 /var/log/cloud-init-output.log
cat /root/boots
exit

#: From the host: ssh with the key from the user-data; root is turned away by disable_root.
#:de: Vom Host aus: ssh mit dem Schlüssel aus der user-data; root wird durch disable_root abgewiesen.
IP=$(virsh net-dhcp-leases default | grep web1 | grep -oE '192\.168\.122\.[0-9]+')
ssh debian@$IP cat /etc/timezone
ssh root@$IP
echo "ssh as root: status $?"

#: A reboot with the same instance-id: per-instance modules already ran, bootcmd runs again.
#:de: Ein Neustart mit derselben instance-id: Module pro Instanz liefen schon, bootcmd läuft erneut.
virsh reboot web1
ssh debian@$IP "grep -c 'already ran' /var/log/cloud-init.log"
virsh console web1
cat /root/boots
exit

#: A new instance-id in a new seed: cloud-init sees a new instance, new host keys make ssh warn.
#:de: Eine neue instance-id in einem neuen Seed: cloud-init sieht eine neue Instanz; neue Hostschlüssel lassen ssh warnen.
virsh shutdown web1
echo 'instance-id: web1-002' > meta-data
echo 'local-hostname: web1' >> meta-data
cloud-localds seed.iso user-data meta-data
virsh start web1
ssh debian@$IP hostname
ssh-keygen -R $IP
ssh debian@$IP cat /var/lib/cloud/data/previous-instance-id
virsh console web1
cat /root/boots
exit

#: cloud-init clean removes the state (and with --logs the logs): the next boot is a first boot again.
#:de: cloud-init clean entfernt den Zustand (mit --logs auch die Logs): der nächste Start ist wieder ein erster.
virsh console web1
cloud-init clean --logs
cloud-init status
ls /var/lib/cloud
exit
virsh reboot web1
virsh console web1
cloud-init status
cat /var/lib/cloud/data/previous-instance-id
exit
