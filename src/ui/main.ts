document.getElementById('app')!.textContent = 'ringlab';
