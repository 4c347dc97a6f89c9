# Cloning lab: what collides when a VM is cloned, and the commands that fix it. A scenario
# script: `guestlab run --scenario bookworm assets/scripts/cloning-lab.sh` runs it whole,
# `guestlab run --present …` and the app's presenter mode (Machine ID & cloning screen, F5) play
# it step by step (format: content/src/sim/scenario.rs).
#@ title: Cloning lab: what collides, and how to fix it
#@ title.de: Klon-Labor: was kollidiert, und wie man es behebt
#@ sim: cloning
#@ world: bookworm

#: The template bookworm is shut off. Start the default network and make two full clones of it.
#:de: Die Vorlage bookworm ist ausgeschaltet. Wir starten das Netz default und erstellen zwei vollständige Klone.
virsh net-start default
virt-clone --original bookworm --name web1 --auto-clone
virt-clone --original bookworm --name web2 --auto-clone

#: Start both clones.
#:de: Wir starten beide Klone.
virsh start web1
virsh start web2

#: One lease for two machines: the DHCP client ID comes from the machine ID, and both clones have the template's.
#:de: Eine Lease für zwei Maschinen: Die DHCP-Client-ID stammt aus der Machine-ID, und beide Klone haben die der Vorlage.
virsh net-dhcp-leases default

#: Inside the clones: the same machine ID, the same address, the same journal folder.
#:de: In den Klonen: dieselbe Machine-ID, dieselbe Adresse, derselbe Journal-Ordner.
virsh console web1
cat /etc/machine-id
ip -br a
exit
virsh console web2
cat /etc/machine-id
ip -br a
ls /var/log/journal

#: Fix web2 the D-Bus way, and give it its own SSH host keys. The new ID counts after a reboot.
#:de: Wir reparieren web2 auf die D-Bus-Art und geben ihm eigene SSH-Host-Schlüssel. Die neue ID gilt nach einem Neustart.
rm -f /etc/machine-id
dbus-uuidgen --ensure=/etc/machine-id
echo $?
rm /etc/ssh/ssh_host_*
ssh-keygen -A
reboot
exit

#: Fix web1 the systemd way: an empty /etc/machine-id, then systemd-machine-id-setup.
#:de: Wir reparieren web1 auf die systemd-Art: eine leere /etc/machine-id, dann systemd-machine-id-setup.
virsh console web1
truncate -s 0 /etc/machine-id
systemd-machine-id-setup
reboot
exit

#: Look again: each clone now has a lease of its own.
#:de: Noch einmal nachsehen: Jeder Klon hat jetzt eine eigene Lease.
virsh net-dhcp-leases default

#: The better way: prepare the template once with virt-sysprep; its clones never collide.
#:de: Der bessere Weg: die Vorlage einmal mit virt-sysprep vorbereiten; ihre Klone kollidieren nie.
virsh destroy web1
virsh destroy web2
virt-sysprep -d bookworm --operations machine-id,ssh-hostkeys,bash-history,logfiles

#: Two new clones of the prepared template: every guest gets its own machine ID, and so its own lease.
#:de: Zwei neue Klone der vorbereiteten Vorlage: Jeder Gast bekommt eine eigene Machine-ID und damit eine eigene Lease.
virt-clone --original bookworm --name web3 --auto-clone
virt-clone --original bookworm --name web4 --auto-clone
virsh start web3
virsh start web4
virsh net-dhcp-leases default

#: Only the hostname is still the template's (marked amber: confusing, not breaking). Give each clone its own.
#:de: Nur der Hostname ist noch der der Vorlage (gelb markiert: verwirrend, aber nicht kaputt). Jeder Klon bekommt einen eigenen.
virsh console web3
hostnamectl set-hostname web3
exit
virsh console web4
hostnamectl set-hostname web4
exit
